//! Reading an answer's body into memory, never more than a limit.
//!
//! Every body the client holds in memory (success and error answers, digest challenges, token answers, the
//! error answers of a streamed call) is read here, so no server can make the client hold more than
//! [`DEFAULT_MAX_BODY_SIZE`] (or what [`ClientBuilder::max_body_size`] set) for one answer. Streamed
//! downloads ([`super::ByteStream`]) are not held, so they have no limit.
//!
//! [`ClientBuilder::max_body_size`]: super::ClientBuilder::max_body_size

use bytes::Bytes;

/// The largest body the client reads into memory by default: 32 MiB.
///
/// Far above any JSON answer of the Atlas Administration API (a page of 500 items of its largest
/// resources is a few MiB), and small enough that a misbehaving server cannot exhaust a small container's
/// memory. Larger downloads are streamed (`send_stream()`), which holds only one chunk at a time.
pub const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Past the limit, by `Content-Length` or by what arrived.
    TooLarge,
    /// The HTTP stack failed (the connection broke, the attempt timed out).
    Http(reqwest::Error),
}

/// Reads the whole body of `response`, refusing at once a `Content-Length` above `limit` and stopping as
/// soon as more than `limit` bytes arrived. Holds at most `limit` bytes (plus the chunk in flight).
pub(crate) async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = CappedBody::new(limit, declared);
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Http)? {
        body.push(chunk)?;
    }
    Ok(body.finish())
}

/// A body being collected: the first chunk as it came (most answers arrive in one chunk, which then costs
/// no copy), then one buffer that never grows past the limit.
struct CappedBody {
    limit: usize,
    declared: Option<u64>,
    first: Option<Bytes>,
    joined: Vec<u8>,
}

impl CappedBody {
    fn new(limit: usize, declared: Option<u64>) -> Self {
        CappedBody { limit, declared, first: None, joined: Vec::new() }
    }

    fn len(&self) -> usize {
        self.first.as_ref().map_or(self.joined.len(), Bytes::len)
    }

    fn push(&mut self, chunk: Bytes) -> Result<(), ReadError> {
        if chunk.len() > self.limit - self.len() {
            return Err(ReadError::TooLarge);
        }
        if self.len() == 0 && self.first.is_none() {
            self.first = Some(chunk);
            return Ok(());
        }
        if let Some(first) = self.first.take() {
            // The declared length (already checked against the limit) sizes the buffer once; otherwise it
            // doubles, but never past the limit, so the buffer itself stays within it.
            let expected = self.declared.map_or(0, |length| length as usize);
            self.joined = Vec::with_capacity(expected.max(first.len() + chunk.len()));
            self.joined.extend_from_slice(&first);
        }
        let needed = self.joined.len() + chunk.len();
        if needed > self.joined.capacity() {
            let grown = needed.max(self.joined.capacity().saturating_mul(2)).min(self.limit);
            self.joined.reserve_exact(grown - self.joined.len());
        }
        self.joined.extend_from_slice(&chunk);
        Ok(())
    }

    fn finish(self) -> Bytes {
        match self.first {
            Some(first) => first,
            None => Bytes::from(self.joined),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(limit: usize, chunks: &[&[u8]]) -> Result<Bytes, ReadError> {
        let mut body = CappedBody::new(limit, None);
        for chunk in chunks {
            body.push(Bytes::copy_from_slice(chunk))?;
        }
        Ok(body.finish())
    }

    #[test]
    fn a_body_up_to_the_limit_is_kept_whole() {
        assert_eq!(&collect(6, &[b"ab", b"cd", b"ef"]).unwrap()[..], b"abcdef");
        assert_eq!(&collect(6, &[b"abcdef"]).unwrap()[..], b"abcdef");
        assert_eq!(&collect(6, &[]).unwrap()[..], b"");
        assert_eq!(&collect(6, &[b"", b"ab", b""]).unwrap()[..], b"ab");
    }

    #[test]
    fn one_byte_past_the_limit_is_too_large() {
        assert!(matches!(collect(6, &[b"abcdefg"]), Err(ReadError::TooLarge)));
        assert!(matches!(collect(6, &[b"abc", b"defg"]), Err(ReadError::TooLarge)));
        assert!(matches!(collect(0, &[b"a"]), Err(ReadError::TooLarge)));
    }

    #[test]
    fn the_buffer_never_grows_past_the_limit() {
        let mut body = CappedBody::new(1000, None);
        for _ in 0..10 {
            body.push(Bytes::from(vec![7u8; 100])).unwrap();
            assert!(body.joined.capacity() <= 1000, "capacity {}", body.joined.capacity());
        }
        assert!(matches!(body.push(Bytes::from_static(b"x")), Err(ReadError::TooLarge)));
        assert_eq!(body.finish().len(), 1000);
    }
}
