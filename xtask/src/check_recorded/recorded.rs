//! Recorded answers as `../shared/recorded` lays them out: `index.tsv` (file, method, path, status,
//! operationId) and one raw HTTP response per file (status line, headers, blank line, body).
//!
//! Plain std only: `cargo xtask check-recorded` compiles this same file into the checker program it
//! generates, so the layout is read by one piece of code.

use std::path::Path;

/// One line of `index.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The response file, relative to `responses/`.
    pub file: String,
    /// The request's method.
    pub method: String,
    /// The request's path, with its real values.
    pub path: String,
    /// The status the service answered.
    pub status: u16,
    /// The operationId of the upstream spec the answer belongs to.
    pub operation_id: String,
}

/// A raw HTTP response, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Reads `index.tsv` under `dir`.
pub fn read_index(dir: &Path) -> Result<Vec<Entry>, String> {
    let path = dir.join("index.tsv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, method, path_field, status, operation_id] = fields[..] else {
            return Err(format!("{}:{}: expected 5 tab-separated fields", path.display(), number + 1));
        };
        let status = status
            .parse()
            .map_err(|_| format!("{}:{}: status {status:?} is not a number", path.display(), number + 1))?;
        entries.push(Entry {
            file: file.to_owned(),
            method: method.to_owned(),
            path: path_field.to_owned(),
            status,
            operation_id: operation_id.to_owned(),
        });
    }
    Ok(entries)
}

/// Takes a raw response apart (lines end in `\n` or `\r\n`).
pub fn parse_response(bytes: &[u8]) -> Result<Response, String> {
    let head_end = find(bytes, b"\r\n\r\n")
        .map(|at| (at, at + 4))
        .or_else(|| find(bytes, b"\n\n").map(|at| (at, at + 2)))
        .unwrap_or((bytes.len(), bytes.len()));
    let head = std::str::from_utf8(&bytes[..head_end.0]).map_err(|_| "the head is not UTF-8".to_owned())?;
    let mut lines = head.lines();
    let status_line = lines.next().ok_or("empty response")?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status in {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or_else(|| format!("header line without `:`: {line:?}"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(Response { status, headers, body: bytes[head_end.1..].to_vec() })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_is_taken_apart() {
        let raw = b"HTTP/2.0 404 Not Found\nContent-Type: application/json\nX-A: b: c\n\n{\"error\":404}";
        let response = parse_response(raw).unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(response.headers[1], ("X-A".to_owned(), "b: c".to_owned()));
        assert_eq!(response.body, b"{\"error\":404}");
        let empty = parse_response(b"HTTP/2.0 204 No Content\r\nServer: x\r\n\r\n").unwrap();
        assert!(empty.body.is_empty());
        assert!(parse_response(b"").is_err());
    }
}
