//! Percent-decoding, for path segments and form bodies alike.

/// `%XX` sequences decoded (invalid ones kept as they are), and `+` as a space when `plus_is_space` (form
/// bodies, `application/x-www-form-urlencoded`; not path segments).
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: &u8| (*b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (bytes.get(i + 1).and_then(hex), bytes.get(i + 2).and_then(hex))
        {
            out.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        out.push(if plus_is_space && bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_decoded_and_plus_only_in_forms() {
        assert_eq!(percent_decode("10.0.0.0%2F24", false), "10.0.0.0/24");
        assert_eq!(percent_decode("a%zz+b", false), "a%zz+b");
        assert_eq!(percent_decode("x%2By+z", true), "x+y z");
        assert_eq!(percent_decode("%", true), "%");
    }
}
