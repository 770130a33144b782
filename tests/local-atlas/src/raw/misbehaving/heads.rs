//! Hostile heads: never ending, countless headers, not HTTP at all, redirects elsewhere, `Retry-After`
//! beyond reason.

use std::time::Duration;

use super::super::Reply;
use super::ERROR_JSON;

pub(super) fn huge_header() -> Reply {
    Reply::Stream {
        head: b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Huge: ".to_vec(),
        chunk: vec![b'a'; 64 * 1024],
        repeat: None,
        interval: Duration::ZERO,
        tail: Vec::new(),
    }
}

pub(super) fn countless_headers() -> Reply {
    let chunk: String = (0..1000).map(|n| format!("X-Filler-{n}: {n}\r\n")).collect();
    Reply::Stream {
        head: b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n".to_vec(),
        chunk: chunk.into_bytes(),
        repeat: None,
        interval: Duration::ZERO,
        tail: Vec::new(),
    }
}

pub(super) fn garbage() -> Reply {
    // A fixed noise (an LCG), so every run sends the same bytes.
    let mut state: u32 = 0x2545_f491;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    Reply::Stream {
        head: b"SSH-2.0-OpenSSH_9.6\r\n".to_vec(),
        chunk: noise,
        repeat: None,
        interval: Duration::ZERO,
        tail: Vec::new(),
    }
}

pub(super) fn redirect(host: &str, port: u16, target: &str) -> Reply {
    Reply::status(307).header("Location", &format!("http://{host}:{port}{target}"))
}

pub(super) fn retry_after(value: &str) -> Reply {
    let body = ERROR_JSON
        .replace("No group with ID 5953c5f380eef53887615f9a exists.", "Service Unavailable.")
        .replace("\"error\":404", "\"error\":503")
        .replace("GROUP_NOT_FOUND", "SERVICE_UNAVAILABLE")
        .replace("Not Found", "Service Unavailable");
    Reply::json(503, &body).header("Retry-After", value)
}
