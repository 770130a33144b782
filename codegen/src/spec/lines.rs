//! Where each node of a document starts: a tree of node ids (each child known by its parent and its key or
//! index), not a map from whole pointers. A pointer is as long as its node is deep, so a map of pointers
//! costs the depth of every node, in memory and in hashing: a 800 KB document of 400,000 numbers 200
//! levels down took 300 MB that way. Here each node costs its own key and a few words, and a lookup walks
//! the pointer's tokens from the root.

use std::collections::HashMap;

use super::pointer::unescape;

/// foldhash (already built for yaml-rust2's hashbrown) hashes the upstream spec's half million keys
/// several times faster than the standard SipHash.
type Map<K> = HashMap<K, u32, foldhash::fast::RandomState>;

/// Node id → 1-based line, and how to find a node from its parent.
#[derive(Debug, Clone, Default)]
pub(super) struct Lines {
    /// The line of each node, by id (the root is 0 when there is one).
    lines: Vec<usize>,
    /// (parent, key) → child, for the entries of mappings.
    keys: Map<(u32, Box<str>)>,
    /// (parent, index) → child, for the items of sequences.
    items: Map<(u32, u32)>,
}

/// A node of the index.
pub(super) type NodeId = u32;

impl Lines {
    /// Records the root, at `line`.
    pub(super) fn root(&mut self, line: usize) -> NodeId {
        self.push(line)
    }

    /// Records the entry `key` of mapping `parent`, at `line`; the first record of a key wins.
    pub(super) fn key(&mut self, parent: NodeId, key: &str, line: usize) -> NodeId {
        let next = self.next_id();
        let id = *self.keys.entry((parent, key.into())).or_insert(next);
        if id == next {
            self.lines.push(line);
        }
        id
    }

    /// Records item `index` of sequence `parent`, at `line`.
    pub(super) fn item(&mut self, parent: NodeId, index: usize, line: usize) -> NodeId {
        let id = self.push(line);
        // An index past u32 cannot be reached: the reader stops at far fewer nodes.
        if let Ok(index) = u32::try_from(index) {
            self.items.entry((parent, index)).or_insert(id);
        }
        id
    }

    fn push(&mut self, line: usize) -> NodeId {
        let id = self.next_id();
        self.lines.push(line);
        id
    }

    /// The id the next node gets; the reader's node limit keeps ids far below `u32::MAX`.
    fn next_id(&self) -> NodeId {
        u32::try_from(self.lines.len()).unwrap_or(u32::MAX)
    }

    /// The line of the node at `pointer`, or of its nearest recorded ancestor; `None` when nothing is
    /// recorded (a document built in code).
    pub(super) fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.first()?;
        let (node, _) = self.walk(pointer);
        Some(self.lines[node as usize])
    }

    /// The line of exactly the node at `pointer`, when it is recorded.
    #[cfg(test)]
    pub(super) fn get(&self, pointer: &str) -> Option<usize> {
        self.lines.first()?;
        let (node, whole) = self.walk(pointer);
        whole.then(|| self.lines[node as usize])
    }

    /// The deepest recorded node on the way to `pointer` (from the root, which must be recorded), and
    /// whether it is the node of the whole pointer.
    fn walk(&self, pointer: &str) -> (NodeId, bool) {
        let mut node: NodeId = 0;
        for token in pointer.split('/').skip(1) {
            let child = self
                .keys
                .get(&(node, unescape(token).into_boxed_str()))
                .or_else(|| token.parse::<u32>().ok().and_then(|index| self.items.get(&(node, index))));
            match child {
                Some(child) => node = *child,
                None => return (node, false),
            }
        }
        (node, true)
    }

    /// Every recorded key, for tests.
    #[cfg(test)]
    pub(super) fn has_key(&self, predicate: impl Fn(&str) -> bool) -> bool {
        self.keys.keys().any(|(_, key)| predicate(key))
    }
}
