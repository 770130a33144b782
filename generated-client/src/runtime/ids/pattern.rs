//! The id patterns the generator reads as a plain sequence (`^([a-f0-9]{24})$`, `^vpce-[0-9a-f]{17}$`,
//! `^[a-zA-Z0-9][a-zA-Z0-9-]*$`): literal text and character classes, each repeated a bounded or
//! unbounded number of times, optionally anchored. Checked here in one pass per piece, without the `regex`
//! crate; patterns with more (alternation, look-around, Unicode properties) are checked with `regex` by
//! the code generated for them.
//!
//! This file refers to nothing else in the crate, so the generator's tests mount it to hold the generator's
//! reading of patterns against the `regex` crate.

/// One piece of an [`IdPattern`]: literal text once, or a character class repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdPiece {
    kind: PieceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Text(&'static str),
    Class { ranges: &'static [(char, char)], negated: bool, min: u32, max: Option<u32> },
}

impl IdPiece {
    /// `text`, exactly, once.
    pub const fn text(text: &'static str) -> Self {
        IdPiece { kind: PieceKind::Text(text) }
    }

    /// A character within one of the inclusive `ranges`, repeated `min` to `max` times (`None`: no upper
    /// bound).
    pub const fn class(ranges: &'static [(char, char)], min: u32, max: Option<u32>) -> Self {
        IdPiece { kind: PieceKind::Class { ranges, negated: false, min, max } }
    }

    /// A character within none of the inclusive `ranges`, repeated `min` to `max` times.
    pub const fn not_class(ranges: &'static [(char, char)], min: u32, max: Option<u32>) -> Self {
        IdPiece { kind: PieceKind::Class { ranges, negated: true, min, max } }
    }
}

/// A pattern as a sequence of pieces, matched as the `regex` crate's `is_match` would: anchored at the
/// start and at the end only where the spec's pattern says `^` and `$`, anywhere in the value otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdPattern {
    anchored_start: bool,
    anchored_end: bool,
    pieces: &'static [IdPiece],
}

impl IdPattern {
    /// The pattern `pieces`, anchored at the start (`^`) and at the end (`$`) as given.
    pub const fn new(anchored_start: bool, anchored_end: bool, pieces: &'static [IdPiece]) -> Self {
        IdPattern { anchored_start, anchored_end, pieces }
    }

    /// Whether `value` matches. Time is linear in the length of `value` for each piece, whatever the value.
    pub fn is_match(&self, value: &str) -> bool {
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        // reach[p]: the pieces so far can match, ending at character position p.
        let mut reach = vec![!self.anchored_start; n + 1];
        reach[0] = true;
        for piece in self.pieces {
            reach = match piece.kind {
                PieceKind::Text(text) => step_text(&chars, &reach, text),
                PieceKind::Class { ranges, negated, min, max } => {
                    let inside = |c: char| ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != negated;
                    step_class(&chars, &reach, inside, min as usize, max.map(|max| max as usize))
                }
            };
            if !reach.contains(&true) {
                return false;
            }
        }
        if self.anchored_end { reach[n] } else { reach.contains(&true) }
    }
}

fn step_text(chars: &[char], reach: &[bool], text: &str) -> Vec<bool> {
    let text: Vec<char> = text.chars().collect();
    let mut next = vec![false; reach.len()];
    for (p, _) in reach.iter().enumerate().filter(|(_, reached)| **reached) {
        if chars.get(p..p + text.len()) == Some(&text[..]) {
            next[p + text.len()] = true;
        }
    }
    next
}

/// From every reached position `p`, the positions `q` with `min <= q - p <= max` and every character in
/// `p..q` inside the class. Prefix counts of reached positions make each `q` one lookup.
fn step_class(
    chars: &[char],
    reach: &[bool],
    inside: impl Fn(char) -> bool,
    min: usize,
    max: Option<usize>,
) -> Vec<bool> {
    let mut reached_before = Vec::with_capacity(reach.len() + 1);
    reached_before.push(0usize);
    for (p, reached) in reach.iter().enumerate() {
        reached_before.push(reached_before[p] + usize::from(*reached));
    }
    let mut next = vec![false; reach.len()];
    // The start of the run of class characters that ends at q.
    let mut run_start = 0;
    for (q, slot) in next.iter_mut().enumerate() {
        if q > 0 && !inside(chars[q - 1]) {
            run_start = q;
        }
        let Some(hi) = q.checked_sub(min) else { continue };
        let lo = max.map_or(run_start, |max| run_start.max(q.saturating_sub(max)));
        *slot = lo <= hi && reached_before[hi + 1] > reached_before[lo];
    }
    next
}

#[cfg(test)]
mod tests {
    use super::{IdPattern, IdPiece};

    const HEX24: IdPattern = IdPattern::new(true, true, &[IdPiece::class(&[('0', '9'), ('a', 'f')], 24, Some(24))]);

    #[test]
    fn anchored_classes_count_characters() {
        assert!(HEX24.is_match("5953c5f380eef53887615f9a"));
        assert!(!HEX24.is_match("5953c5f380eef53887615f9"));
        assert!(!HEX24.is_match("5953c5f380eef53887615f9aa"));
        assert!(!HEX24.is_match("5953C5F380EEF53887615F9A"));
        assert!(!HEX24.is_match(""));
    }

    #[test]
    fn text_and_open_repetition() {
        // ^vpce-[0-9a-f]{17}$ and ^[a-zA-Z0-9][a-zA-Z0-9-]*$
        const VPCE: IdPattern = IdPattern::new(
            true,
            true,
            &[IdPiece::text("vpce-"), IdPiece::class(&[('0', '9'), ('a', 'f')], 17, Some(17))],
        );
        let vpce = VPCE;
        assert!(vpce.is_match("vpce-0123456789abcdef0"));
        assert!(!vpce.is_match("vpc-0123456789abcdef0"));
        const ALNUM: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('a', 'z')];
        const ALNUM_DASH: &[(char, char)] = &[('-', '-'), ('0', '9'), ('A', 'Z'), ('a', 'z')];
        const NAME: IdPattern =
            IdPattern::new(true, true, &[IdPiece::class(ALNUM, 1, Some(1)), IdPiece::class(ALNUM_DASH, 0, None)]);
        let name = NAME;
        assert!(name.is_match("Cluster0-a"));
        assert!(name.is_match("c"));
        assert!(!name.is_match("-cluster"));
        assert!(!name.is_match("cluster_0"));
    }

    #[test]
    fn unanchored_patterns_match_anywhere_as_regex_does() {
        const HEX: IdPattern = IdPattern::new(false, false, &[IdPiece::class(&[('0', '9'), ('a', 'f')], 1, None)]);
        let hex = HEX;
        assert!(hex.is_match("zz9zz"));
        assert!(!hex.is_match("zzz"));
        const ENDS: IdPattern = IdPattern::new(false, true, &[IdPiece::text(".com")]);
        let ends = ENDS;
        assert!(ends.is_match("example.com"));
        assert!(!ends.is_match("example.com."));
        const EMPTY: IdPattern = IdPattern::new(true, true, &[]);
        let empty = EMPTY;
        assert!(empty.is_match(""));
        assert!(!empty.is_match("a"));
    }

    #[test]
    fn negated_classes_and_non_ascii() {
        const NO_SLASH: IdPattern = IdPattern::new(true, true, &[IdPiece::not_class(&[('/', '/')], 1, Some(3))]);
        let no_slash = NO_SLASH;
        assert!(no_slash.is_match("é中"));
        assert!(!no_slash.is_match("a/b"));
        assert!(!no_slash.is_match("abcd"));
    }

    #[test]
    fn long_values_stay_linear() {
        // Backtracking would take exponential time here; this takes one pass per piece.
        const A: &[(char, char)] = &[('a', 'a')];
        const PATTERN: IdPattern =
            IdPattern::new(true, true, &[IdPiece::class(A, 0, None), IdPiece::class(A, 0, None), IdPiece::text("b")]);
        let pattern = PATTERN;
        let value = "a".repeat(1_000_000);
        assert!(!pattern.is_match(&value));
    }
}
