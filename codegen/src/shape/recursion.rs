//! Recursive types that compile: a field or variant that reaches its own type by value is boxed, and a
//! type alias on a cycle of aliases (`type Tree = Vec<Tree>`, which Rust refuses) becomes a transparent
//! newtype. Cycles are found as strongly connected components, computed without recursion.

use std::collections::{BTreeMap, HashMap};

use crate::plan::{Ty, TypeDef, TypeKind};

/// Boxes what must be boxed and turns alias cycles into newtypes.
pub(crate) fn break_cycles(types: &mut BTreeMap<String, TypeDef>) {
    newtype_alias_cycles(types);
    box_value_cycles(types);
}

fn newtype_alias_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut edges = vec![Vec::new(); names.len()];
    for (i, name) in names.iter().enumerate() {
        if let TypeKind::Alias(ty) = &types[name].kind {
            let mut named = Vec::new();
            ty.named(false, &mut named);
            for target in named {
                if let Some(&j) = index.get(target.as_str())
                    && matches!(types[&target].kind, TypeKind::Alias(_))
                {
                    edges[i].push(j);
                }
            }
        }
    }
    let components = strongly_connected(&edges);
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for component in &components {
        *sizes.entry(*component).or_default() += 1;
    }
    for (i, name) in names.iter().enumerate() {
        let cyclic = edges[i].contains(&i) || sizes[&components[i]] > 1;
        if cyclic
            && let Some(def) = types.get_mut(name)
            && let TypeKind::Alias(ty) = &def.kind
        {
            def.kind = TypeKind::Newtype(ty.clone());
        }
    }
}

fn box_value_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<String> = types.keys().cloned().collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let direct = |ty: &Ty| {
        let mut named = Vec::new();
        ty.named(true, &mut named);
        named.into_iter().filter_map(|n| index.get(n.as_str()).copied()).collect::<Vec<usize>>()
    };
    let mut edges = vec![Vec::new(); names.len()];
    for (i, name) in names.iter().enumerate() {
        for ty in types[name].kind.tys() {
            edges[i].extend(direct(ty));
        }
    }
    let components = strongly_connected(&edges);
    for (i, name) in names.iter().enumerate() {
        let Some(def) = types.get_mut(name) else { continue };
        for ty in def.kind.tys_mut() {
            let cyclic = direct(ty).iter().any(|j| components[*j] == components[i]);
            if cyclic {
                *ty = boxed(std::mem::replace(ty, Ty::Json));
            }
        }
    }
}

/// Box the named type inside `ty` (`Option` is added by emission around fields, so the outer type is it).
fn boxed(ty: Ty) -> Ty {
    Ty::Boxed(Box::new(ty))
}

/// Tarjan's algorithm with an explicit stack: the component number of every node.
pub(crate) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for start in 0..n {
        if index[start] != UNSEEN {
            continue;
        }
        // Each frame: a node and how many of its edges were followed.
        let mut frames: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&next) = edges[node].get(frame.1) {
                frame.1 += 1;
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_long_chain_and_a_cycle() {
        let mut edges: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).collect();
        edges.push(vec![0]);
        let components = strongly_connected(&edges);
        assert!(components.iter().all(|c| *c == components[0]), "one big cycle");
        let components = strongly_connected(&[vec![1], vec![2], vec![], vec![3]]);
        assert_eq!(components.iter().collect::<std::collections::HashSet<_>>().len(), 4);
    }
}
