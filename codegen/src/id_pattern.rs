//! How an id's `pattern` is checked at run time: read here, when it is a plain sequence of literal text and
//! character classes (every id pattern of the Atlas spec is: `^([a-f0-9]{24})$`, `^vpce-[0-9a-f]{17}$`,
//! `^[a-zA-Z0-9][a-zA-Z0-9-]*$`), as pieces the runtime's `IdPattern` matches without the `regex` crate;
//! anything more (alternation, groups that repeat a sequence, Unicode properties, flags) is left to
//! `regex`, in the generated code of that id only.
//!
//! The reading is exact for what it accepts, with one deliberate difference from the `regex` crate: `\d`
//! and `\w` are ASCII (`[0-9]`, `[0-9A-Za-z_]`), as in ECMA-262, the dialect OpenAPI's `pattern` is
//! written in; the `regex` crate reads them as Unicode classes. `codegen/tests/id_patterns.rs` holds the
//! reading against the `regex` crate.

/// How an id's value is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdCheck {
    /// Only its lengths (no pattern, or one no engine we have can check).
    Length,
    /// The pattern read as pieces: checked by the runtime.
    Pattern(SimplePattern),
    /// The pattern compiled by the `regex` crate, in the generated code.
    Regex,
}

/// A pattern that is a sequence of pieces, anchored or not at each end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SimplePattern {
    pub anchored_start: bool,
    pub anchored_end: bool,
    pub pieces: Vec<Piece>,
    /// Whether `\d` or `\w` was read (their ASCII reading is then worth saying in the id's docs).
    pub ascii_escapes: bool,
}

/// Literal text once, or a character class repeated `min..=max` times (`None`: unbounded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Class { ranges: Vec<(char, char)>, negated: bool, min: u32, max: Option<u32> },
}

/// What to check for `pattern`, a pattern the `regex` crate compiles.
pub(crate) fn check_for(pattern: &str) -> IdCheck {
    match read(pattern) {
        Some(simple) => IdCheck::Pattern(simple),
        None => IdCheck::Regex,
    }
}

/// One element before pieces are formed: a class (a literal character is a class of one) with its
/// repetition.
#[derive(Debug, Clone)]
struct Atom {
    ranges: Vec<(char, char)>,
    negated: bool,
    min: u32,
    max: Option<u32>,
}

impl Atom {
    fn literal(&self) -> Option<char> {
        match self.ranges[..] {
            [(lo, hi)] if lo == hi && !self.negated && self.min == 1 && self.max == Some(1) => Some(lo),
            _ => None,
        }
    }
}

/// `pattern` as a sequence of pieces, or `None` when it needs more than that.
pub(crate) fn read(pattern: &str) -> Option<SimplePattern> {
    let mut chars: Vec<char> = pattern.chars().collect();
    let anchored_start = chars.first() == Some(&'^');
    if anchored_start {
        chars.remove(0);
    }
    // A trailing `$` anchors unless it is escaped (an odd number of backslashes before it).
    let backslashes = chars.iter().rev().skip(1).take_while(|c| **c == '\\').count();
    let anchored_end = chars.last() == Some(&'$') && backslashes % 2 == 0;
    if anchored_end {
        chars.pop();
    }
    let mut reader = Reader { chars: &chars, at: 0, ascii_escapes: false };
    let atoms = reader.sequence(false)?;
    if reader.at != chars.len() {
        return None;
    }
    Some(SimplePattern { anchored_start, anchored_end, pieces: pieces(atoms), ascii_escapes: reader.ascii_escapes })
}

/// Consecutive single characters become one text piece; everything else a class piece.
fn pieces(atoms: Vec<Atom>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for atom in atoms {
        match (atom.literal(), pieces.last_mut()) {
            (Some(c), Some(Piece::Text(text))) => text.push(c),
            (Some(c), _) => pieces.push(Piece::Text(c.to_string())),
            (None, _) => pieces.push(Piece::Class {
                ranges: merged(atom.ranges),
                negated: atom.negated,
                min: atom.min,
                max: atom.max,
            }),
        }
    }
    pieces
}

/// Sorted, with overlapping and adjacent ranges joined.
fn merged(mut ranges: Vec<(char, char)>) -> Vec<(char, char)> {
    ranges.sort_unstable();
    let mut out: Vec<(char, char)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if (lo as u32) <= (last.1 as u32).saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

const DIGITS: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

struct Reader<'a> {
    chars: &'a [char],
    at: usize,
    ascii_escapes: bool,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// Atoms up to the end, or up to the `)` closing a group (left unread).
    fn sequence(&mut self, in_group: bool) -> Option<Vec<Atom>> {
        let mut atoms = Vec::new();
        while let Some(c) = self.peek() {
            if c == ')' && in_group {
                return Some(atoms);
            }
            if c == '(' {
                self.at += 1;
                if self.peek() == Some('?') {
                    // Only a non-capturing group; flags, names and look-around need more than pieces.
                    if self.chars.get(self.at + 1) != Some(&':') {
                        return None;
                    }
                    self.at += 2;
                }
                let inner = self.sequence(true)?;
                if self.next() != Some(')') {
                    return None;
                }
                match self.quantifier()? {
                    // A group repeated is a piece only when it holds one unrepeated class or character.
                    Some((min, max)) => match &inner[..] {
                        [atom] if atom.min == 1 && atom.max == Some(1) => {
                            atoms.push(Atom { min, max, ..atom.clone() });
                        }
                        _ => return None,
                    },
                    None => atoms.extend(inner),
                }
                continue;
            }
            let (ranges, negated) = self.atom()?;
            let (min, max) = self.quantifier()?.unwrap_or((1, Some(1)));
            atoms.push(Atom { ranges, negated, min, max });
        }
        if in_group { None } else { Some(atoms) }
    }

    /// One class, escape or character outside a class.
    fn atom(&mut self) -> Option<(Vec<(char, char)>, bool)> {
        match self.next()? {
            '[' => self.class(),
            '.' => Some((vec![('\n', '\n')], true)),
            '\\' => match self.next()? {
                'd' => {
                    self.ascii_escapes = true;
                    Some((DIGITS.to_vec(), false))
                }
                'w' => {
                    self.ascii_escapes = true;
                    Some((WORD.to_vec(), false))
                }
                c if c.is_ascii_punctuation() => Some((vec![(c, c)], false)),
                _ => None,
            },
            // Alternation, anchors inside, a quantifier with nothing to repeat, a stray bracket.
            '|' | '^' | '$' | '*' | '+' | '?' | '{' | '}' | ']' | ')' => None,
            c => Some((vec![(c, c)], false)),
        }
    }

    /// After `[`: the class up to its `]`.
    fn class(&mut self) -> Option<(Vec<(char, char)>, bool)> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        // `]` first is a literal for the regex crate and an empty class for ECMA-262: leave it to regex.
        if self.peek() == Some(']') {
            return None;
        }
        let mut ranges = Vec::new();
        loop {
            let c = self.next()?;
            let single = match c {
                ']' => break,
                // Nested classes and set operations (`&&`, `--`, `~~`) are regex-crate syntax.
                '[' => return None,
                '&' | '~' if self.peek() == Some(c) => return None,
                '-' if self.peek() == Some('-') => return None,
                '\\' => match self.next()? {
                    // A class escape cannot start a range (`[\d-z]`: an error for the regex crate).
                    'd' | 'w' if self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']') => return None,
                    'd' => {
                        self.ascii_escapes = true;
                        ranges.extend_from_slice(DIGITS);
                        continue;
                    }
                    'w' => {
                        self.ascii_escapes = true;
                        ranges.extend_from_slice(WORD);
                        continue;
                    }
                    e if e.is_ascii_punctuation() => e,
                    _ => return None,
                },
                c => c,
            };
            // `a-z`: a range, unless the `-` is the class's last character (then both are literals).
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|next| *next != ']') {
                self.at += 1;
                let end = match self.next()? {
                    '\\' => self.next().filter(char::is_ascii_punctuation)?,
                    '[' => return None,
                    end => end,
                };
                if end < single {
                    return None;
                }
                ranges.push((single, end));
            } else {
                ranges.push((single, single));
            }
        }
        if ranges.is_empty() { None } else { Some((ranges, negated)) }
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}` or `{n,m}` (a lazy `?` after it changes nothing for a match); `None` for
    /// a malformed one, `Some(None)` when there is none.
    fn quantifier(&mut self) -> Option<Option<(u32, Option<u32>)>> {
        let bounds = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let close = self.chars[self.at..].iter().position(|c| *c == '}')? + self.at;
                let inside: String = self.chars[self.at + 1..close].iter().collect();
                let number = |text: &str| text.parse::<u32>().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit()));
                let bounds = match inside.split_once(',') {
                    None => {
                        let n = number(&inside)?;
                        (n, Some(n))
                    }
                    Some((min, "")) => (number(min)?, None),
                    Some((min, max)) => (number(min)?, Some(number(max)?)),
                };
                self.at = close;
                bounds
            }
            _ => return Some(None),
        };
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        // A quantifier on a quantifier is not a sequence of pieces.
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return None;
        }
        Some(Some(bounds))
    }
}

/// The runtime's matcher, mounted here so the reading above is held against the `regex` crate end to end.
#[cfg(test)]
#[path = "../../generated-client/src/runtime/ids/pattern.rs"]
#[allow(unreachable_pub, dead_code, reason = "the runtime's file, compiled in a test of another crate")]
mod runtime_pattern;

#[cfg(test)]
mod tests {
    use super::runtime_pattern::{IdPattern, IdPiece};
    use super::{IdCheck, Piece, SimplePattern, check_for, read};

    fn class(ranges: &[(char, char)], min: u32, max: Option<u32>) -> Piece {
        Piece::Class { ranges: ranges.to_vec(), negated: false, min, max }
    }

    #[test]
    fn the_atlas_id_patterns_are_pieces() {
        let hex = read("^([a-f0-9]{24})$").unwrap();
        assert!(hex.anchored_start && hex.anchored_end);
        assert_eq!(hex.pieces, [class(&[('0', '9'), ('a', 'f')], 24, Some(24))]);
        let sa = read(r"^mdb_sa_id_[a-fA-F\d]{24}$").unwrap();
        assert_eq!(
            sa.pieces,
            [Piece::Text("mdb_sa_id_".into()), class(&[('0', '9'), ('A', 'F'), ('a', 'f')], 24, Some(24))]
        );
        assert!(sa.ascii_escapes);
        let name = read("^[a-zA-Z0-9][a-zA-Z0-9-]*$").unwrap();
        assert_eq!(
            name.pieces,
            [
                class(&[('0', '9'), ('A', 'Z'), ('a', 'z')], 1, Some(1)),
                class(&[('-', '-'), ('0', '9'), ('A', 'Z'), ('a', 'z')], 0, None)
            ]
        );
        let loose = read("[0-9a-f]+").unwrap();
        assert!(!loose.anchored_start && !loose.anchored_end);
        let repeated_group = read(r"^([-\w._()])+$").unwrap();
        assert_eq!(repeated_group.pieces.len(), 1);
    }

    #[test]
    fn more_than_pieces_is_left_to_regex() {
        for pattern in [
            "^(a|b)$",
            r"^[\p{L}\p{N}]+$",
            "^(ab)+$",
            "(?i)^abc$",
            "^a$|^b$",
            r"^\s+$",
            "^[[a-z]&&[^x]]+$",
            "^[]a]$",
            r"^[\d-z]$",
            r"\bword\b",
        ] {
            assert_eq!(check_for(pattern), IdCheck::Regex, "{pattern}");
        }
    }

    #[test]
    fn escapes_and_edge_dashes_are_literals() {
        let p = read(r"^a\.b\$[-x]$").unwrap();
        assert_eq!(p.pieces, [Piece::Text("a.b$".into()), class(&[('-', '-'), ('x', 'x')], 1, Some(1))]);
        let escaped_end = read(r"a\$").unwrap();
        assert!(!escaped_end.anchored_end);
        assert_eq!(escaped_end.pieces, [Piece::Text("a$".into())]);
    }

    /// The runtime pattern for a reading (the pieces leaked: `IdPattern` holds `'static` slices, as
    /// generated code writes them).
    fn runtime(simple: &SimplePattern) -> IdPattern {
        let pieces: Vec<IdPiece> = simple
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => IdPiece::text(Box::leak(text.clone().into_boxed_str())),
                Piece::Class { ranges, negated, min, max } => {
                    let ranges: &'static [(char, char)] = Box::leak(ranges.clone().into_boxed_slice());
                    if *negated { IdPiece::not_class(ranges, *min, *max) } else { IdPiece::class(ranges, *min, *max) }
                }
            })
            .collect();
        IdPattern::new(simple.anchored_start, simple.anchored_end, Box::leak(pieces.into_boxed_slice()))
    }

    /// `pattern` for the `regex` crate with `\d` and `\w` written out as the ASCII classes they are read as.
    fn ascii_escapes(pattern: &str) -> String {
        let mut out = String::new();
        let (mut in_class, mut chars) = (false, pattern.chars());
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    Some('w') => out.push_str(if in_class { "0-9A-Za-z_" } else { "[0-9A-Za-z_]" }),
                    Some(other) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                },
                '[' => {
                    in_class = true;
                    out.push(c);
                }
                ']' => {
                    in_class = false;
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out
    }

    /// A small deterministic generator (xorshift), so a failure names a reproducible value.
    struct Values(u64);

    impl Values {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// A value built piece by piece to (nearly) match, then sometimes mutated.
        fn near(&mut self, simple: &SimplePattern, noise: &[char]) -> String {
            let mut out: Vec<char> = Vec::new();
            if !simple.anchored_start && self.below(3) == 0 {
                out.push(noise[self.below(noise.len())]);
            }
            for piece in &simple.pieces {
                match piece {
                    Piece::Text(text) => out.extend(text.chars()),
                    Piece::Class { ranges, negated, min, max } => {
                        let count = *min as usize + self.below(max.map_or(4, |max| (max - min) as usize).min(4) + 1);
                        for _ in 0..count {
                            let c = if *negated {
                                noise[self.below(noise.len())]
                            } else {
                                let (lo, hi) = ranges[self.below(ranges.len())];
                                char::from_u32(
                                    lo as u32 + self.below((hi as u32 - lo as u32 + 1).min(64) as usize) as u32,
                                )
                                .unwrap_or(lo)
                            };
                            out.push(c);
                        }
                    }
                }
            }
            for _ in 0..self.below(3) {
                let at = self.below(out.len() + 1);
                match self.below(3) {
                    0 => out.insert(at, noise[self.below(noise.len())]),
                    1 if at < out.len() => {
                        out.remove(at);
                    }
                    _ if at < out.len() => out[at] = noise[self.below(noise.len())],
                    _ => {}
                }
            }
            out.into_iter().collect()
        }
    }

    /// Every pattern read as pieces answers as the `regex` crate does, on values near and far from it.
    #[test]
    fn the_reading_matches_what_the_regex_crate_matches() {
        let patterns = [
            // The Atlas spec's id patterns.
            "^([a-f0-9]{24})$",
            "^[a-fA-F0-9]{24}$",
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            r"^mdb_sa_id_[a-fA-F\d]{24}$",
            "^([a-fA-F0-9]{64})$",
            "^([a-f0-9]{20})$",
            "[0-9a-f]+",
            // Others the spec holds, and edges of the reading.
            r"([\d]+\.[\d]+\.[\d]+)",
            "^vpce-[0-9a-f]{17}$",
            r"^([-\w._()])+$",
            "^([a-f0-9]{8,32})$",
            "^[0-9]{12}$",
            "^([A-Z]{2})$",
            "^[^/]{1,3}x?$",
            "^a.b$",
            "ab{2,}c",
            "^(?:ab)c*?$",
            r"^\$[a-]+\.$",
            "é+ü",
            "^$",
            "x",
        ];
        let noise: Vec<char> = "af09AFgz-_./$xé٣\n ".chars().collect();
        let mut values = Values(0x9e37_79b9_7f4a_7c15);
        for pattern in patterns {
            let simple = read(pattern).unwrap_or_else(|| panic!("{pattern} is pieces"));
            let ours = runtime(&simple);
            let regex = regex::Regex::new(&ascii_escapes(pattern)).expect("compiles");
            for _ in 0..3000 {
                let value = values.near(&simple, &noise);
                assert_eq!(ours.is_match(&value), regex.is_match(&value), "{pattern} on {value:?}");
            }
        }
    }

    /// Unicode digits are not `\d` here, as in ECMA-262 (the `regex` crate would accept them).
    #[test]
    fn digits_are_ascii() {
        let ours = runtime(&read(r"^\d+$").unwrap());
        assert!(ours.is_match("0123"));
        assert!(!ours.is_match("٣"));
    }
}
