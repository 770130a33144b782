//! Scripted answers: what the next request to an operation gets instead of what the local Atlas would
//! answer, after authentication and the rate limit, as on the live service (a 500 in the middle of a
//! rotation, a 503 with `Retry-After`, a recorded answer of the live service replayed).

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

/// One scripted answer: a status, headers in order, and a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedAnswer {
    /// The status.
    pub status: u16,
    /// The headers, in order (`Content-Length` is computed).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl ScriptedAnswer {
    /// An answer with this status, no headers and no body.
    pub fn status(status: u16) -> Self {
        ScriptedAnswer { status, headers: Vec::new(), body: Vec::new() }
    }

    /// A JSON answer (`application/json`).
    pub fn json(status: u16, body: &Value) -> Self {
        ScriptedAnswer::status(status).header("Content-Type", "application/json").body(body.to_string())
    }

    /// An Atlas error answer: the `ApiError` body and the `X-Error-Code` header, as the live service sends
    /// them.
    pub fn atlas_error(status: u16, error_code: &str, detail: &str) -> Self {
        let body = super::body::api_error(status, error_code, detail, Vec::new());
        ScriptedAnswer::json(status, &body).header("X-Error-Code", error_code)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// An answer recorded from the live service, in the Atlas CLI's snapshot format (as in
    /// `../shared/recorded/responses/`): a status line (`HTTP/2.0 200 OK`), headers, a blank line, the
    /// body. `Content-Length` is dropped (the server computes it).
    pub fn from_recorded(text: &str) -> Result<Self, String> {
        let text = text.replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
        let mut lines = head.lines();
        let status_line = lines.next().ok_or("a recorded answer needs a status line")?;
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|s| (100..600).contains(s))
            .ok_or_else(|| format!("not a status line: {status_line:?}"))?;
        let mut answer = ScriptedAnswer::status(status).body(body);
        for line in lines {
            let (name, value) = line.split_once(':').ok_or_else(|| format!("not a header line: {line:?}"))?;
            if !name.trim().eq_ignore_ascii_case("content-length") {
                answer = answer.header(name.trim(), value.trim());
            }
        }
        Ok(answer)
    }
}

/// The queues of scripted answers, by operationId.
#[derive(Debug, Default)]
pub struct Script {
    queues: BTreeMap<String, VecDeque<ScriptedAnswer>>,
}

impl Script {
    /// Queues `answer` for the next request to `operation_id` (after those already queued).
    pub fn push(&mut self, operation_id: &str, answer: ScriptedAnswer) {
        self.queues.entry(operation_id.to_owned()).or_default().push_back(answer);
    }

    /// The next scripted answer of `operation_id`, if any.
    pub fn next(&mut self, operation_id: &str) -> Option<ScriptedAnswer> {
        self.queues.get_mut(operation_id)?.pop_front()
    }

    /// How many answers are still queued, all operations.
    pub fn pending(&self) -> usize {
        self.queues.values().map(VecDeque::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_answer_is_parsed_as_the_live_service_sent_it() {
        let recorded =
            "HTTP/2.0 200 OK\nContent-Length: 9\nContent-Type: application/json\nRatelimit-Limit: 500\n\n{\"a\": 1}\n";
        let answer = ScriptedAnswer::from_recorded(recorded).unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.headers,
            [
                ("Content-Type".to_owned(), "application/json".to_owned()),
                ("Ratelimit-Limit".to_owned(), "500".to_owned())
            ]
        );
        assert_eq!(answer.body, b"{\"a\": 1}\n");
        assert!(ScriptedAnswer::from_recorded("garbage").is_err());
        assert!(ScriptedAnswer::from_recorded("HTTP/1.1 200 OK\nno colon\n\n").is_err());
    }

    #[test]
    fn answers_come_out_in_order_per_operation() {
        let mut script = Script::default();
        script.push("a", ScriptedAnswer::status(500));
        script.push("a", ScriptedAnswer::status(503));
        script.push("b", ScriptedAnswer::status(404));
        assert_eq!(script.pending(), 3);
        assert_eq!(script.next("a").unwrap().status, 500);
        assert_eq!(script.next("a").unwrap().status, 503);
        assert!(script.next("a").is_none());
        assert_eq!(script.next("b").unwrap().status, 404);
    }
}
