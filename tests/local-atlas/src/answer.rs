//! One answer of the local Atlas before it becomes an HTTP response, and the shapes every route shares:
//! Atlas's error answers (with `X-Error-Code`), envelopes and `pretty=true`.

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;
use serde_json::Value;

use super::body::{self, ERROR_CONTENT_TYPE};

/// One answer.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

/// `envelope` and `pretty` from the query string.
#[derive(Default, Clone, Copy)]
pub(crate) struct Flags {
    pub(crate) envelope: bool,
    pub(crate) pretty: bool,
}

impl Flags {
    pub(crate) fn of(query: Option<&str>) -> Flags {
        let mut flags = Flags::default();
        for pair in query.unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some(("envelope", value)) => flags.envelope = value.eq_ignore_ascii_case("true"),
                Some(("pretty", value)) => flags.pretty = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        flags
    }
}

impl Answer {
    pub(crate) fn new(status: u16, content_type: Option<&str>, body: impl Into<Bytes>) -> Answer {
        Answer { status, content_type: content_type.map(str::to_owned), headers: Vec::new(), body: body.into() }
    }

    pub(crate) fn json(status: u16, content_type: &str, body: String) -> Answer {
        Answer::new(status, Some(content_type), body)
    }

    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Answer {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// A success with a JSON document (wrapped when `envelope=true`).
    pub(crate) fn success(status: u16, content_type: &str, document: Option<&Value>, flags: Flags) -> Answer {
        if flags.envelope {
            let wrapped = body::envelope(status, document.cloned());
            return Answer::json(200, content_type, body::render(&wrapped, flags.pretty));
        }
        match document {
            Some(document) => Answer::json(status, content_type, body::render(document, flags.pretty)),
            // A bodiless success carries the versioned content type and no body, as the live service does.
            None => Answer::new(status, Some(content_type), Bytes::new()),
        }
    }

    /// Atlas's error answer: the `ApiError` body, `X-Error-Code`, wrapped when `envelope=true`.
    pub(crate) fn error(status: u16, code: &str, detail: &str, parameters: Vec<Value>, flags: Flags) -> Answer {
        let error = body::api_error(status, code, detail, parameters);
        error_answer(status, code, &error, flags, ERROR_CONTENT_TYPE)
    }

    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        if let Some(content_type) = self.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
            headers.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in self.headers {
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
                headers.append(name, value);
            }
        }
        response
    }
}

/// An error answer with a body already built, wrapped when `envelope=true`.
pub(crate) fn error_answer(status: u16, code: &str, error: &Value, flags: Flags, envelope_type: &str) -> Answer {
    let answer = if flags.envelope {
        Answer::json(200, envelope_type, body::render(&body::envelope(status, Some(error.clone())), flags.pretty))
    } else {
        Answer::json(status, ERROR_CONTENT_TYPE, body::render(error, flags.pretty))
    };
    answer.header("x-error-code", code)
}
