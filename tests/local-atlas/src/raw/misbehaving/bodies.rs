//! Hostile bodies: past any limit, never ending, dripping, undecodable, on a status that has none.

use std::time::Duration;

use super::super::Reply;

/// What the endless bodies repeat: 64 KiB, sent with one write each.
const CHUNK: usize = 64 * 1024;

/// The module's `ERROR_JSON`, gzip-compressed (`gzip -9n`).
const ERROR_JSON_GZIP: &[u8] = include_bytes!("group_not_found.json.gz");

fn stream(head: String, chunk: Vec<u8>, repeat: Option<u64>, interval: Duration, tail: &[u8]) -> Reply {
    Reply::Stream { head: head.into_bytes(), chunk, repeat, interval, tail: tail.to_vec() }
}

pub(super) fn declared_huge() -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1099511627776\r\n\r\n";
    stream(head.to_owned(), vec![b' '; CHUNK], None, Duration::ZERO, b"")
}

pub(super) fn endless() -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    stream(head.to_owned(), vec![b' '; CHUNK], None, Duration::ZERO, b"")
}

pub(super) fn long(bytes: u64) -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut chunk = format!("{CHUNK:x}\r\n").into_bytes();
    chunk.extend(std::iter::repeat_n(b'x', CHUNK));
    chunk.extend_from_slice(b"\r\n");
    stream(head.to_owned(), chunk, Some(bytes.div_ceil(CHUNK as u64)), Duration::ZERO, b"0\r\n\r\n")
}

pub(super) fn drip_forever() -> Reply {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    stream(head.to_owned(), b"1\r\n \r\n".to_vec(), None, Duration::from_millis(100), b"")
}

pub(super) fn invalid_utf8() -> Reply {
    let body: &[u8] =
        b"{\"detail\":\"caf\xe9 \xff\xfe\",\"error\":404,\"errorCode\":\"GROUP_NOT_FOUND\",\"reason\":\"Not Found\"}";
    let mut bytes = format!(
        "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Error-Code: ",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(b"GROUP_\xff\xfe\r\n\r\n");
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

pub(super) fn deep_json(depth: usize) -> Reply {
    // An error body whose fields are sound, but one of them nests on and on: decoding must go down it.
    let body = format!(
        r#"{{"error":404,"errorCode":"GROUP_NOT_FOUND","parameters":[{}{}],"reason":"Not Found"}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    Reply::json(404, &body)
}

pub(super) fn gzip() -> Reply {
    Reply::Respond {
        status: 404,
        headers: vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("Content-Encoding".to_owned(), "gzip".to_owned()),
        ],
        body: ERROR_JSON_GZIP.to_vec(),
    }
}

pub(super) fn body_on_204() -> Reply {
    // A 204 ends at its head (RFC 9112 6.3), so this stays on the connection: a client that read it as the
    // next answer would see a 200 that was never sent.
    Reply::status(204).header("Content-Type", "application/json").body("HTTP/1.1 200 OK\r\n\r\nnot the next answer")
}
