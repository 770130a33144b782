//! The fixture file format: one recorded exchange per JSON file.
//!
//! See `tests/fixtures/README.md` for the format with examples. Loading is strict: unknown fields, files that
//! are not fixtures, and fixtures that contradict themselves are errors, so a typo cannot silently turn a
//! check off.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One recorded exchange: what the client is asked to do, what it must send, what the service answered,
/// and what the caller must see.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The file name without `.json`; filled in by the loader.
    #[serde(skip)]
    pub name: String,
    /// What this exchange shows, in one or two sentences.
    pub description: String,
    /// Fixtures whose exchanges come first within the same call (a digest challenge before its answer).
    #[serde(default)]
    pub preceded_by: Vec<String>,
    /// The client call that produces the request.
    pub call: Call,
    /// The request the client must send.
    pub request: ExpectedRequest,
    /// The answer the service gave.
    pub response: RecordedResponse,
    /// The typed outcome the caller must see.
    pub expect: Expectation,
}

/// The operations, from the one table the local Atlas routes by.
pub use local_atlas::Operation;

/// The client call a fixture drives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// Which operation.
    pub operation: Operation,
    /// Path parameters by their spec names (`orgId`, `apiUserId`, ...).
    pub args: BTreeMap<String, String>,
    /// The `envelope` query parameter, when the call sets it.
    #[serde(default)]
    pub envelope: Option<bool>,
    /// The `pretty` query parameter, when the call sets it.
    #[serde(default)]
    pub pretty: Option<bool>,
    /// The credentials the client is built with.
    #[serde(default)]
    pub auth: AuthSetup,
}

impl Call {
    /// The path parameter `name`; panics naming the fixture field when it is missing.
    pub fn arg(&self, name: &str) -> &str {
        self.args.get(name).map(String::as_str).unwrap_or_else(|| panic!("call.args.{name} is missing"))
    }
}

/// The credentials a fixture's client is built with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthSetup {
    /// No credentials.
    #[default]
    None,
    /// A static bearer token.
    Bearer(String),
    /// An API key over HTTP Digest.
    Digest {
        /// The public key (the digest user name).
        public_key: String,
        /// The private key (the digest password; fixtures hold only made-up keys).
        private_key: String,
    },
}

/// Whether a request header must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderPresence {
    /// The header must not be sent.
    Absent,
    /// The header must be sent (its value is not compared: it may hold a secret or a nonce).
    Present,
}

/// The request the client must send. Only what matters is compared: method, path, query as a set of pairs,
/// the listed headers, and whether `Authorization` is there.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path exactly as it goes on the wire (percent-encoded), without the query.
    pub path: String,
    /// The query as `[name, value]` pairs, compared as a set (order does not matter, repeats do).
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// Headers that must be sent with exactly these values (names compared without case).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Whether `Authorization` must be sent.
    pub authorization: HeaderPresence,
}

/// The answer the service gave.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers as `[name, value]` pairs, in the order received. `Content-Length` is computed, never listed.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body, exactly as received (empty when there was none).
    #[serde(default)]
    pub body: String,
}

impl RecordedResponse {
    /// The first header named `name` (without case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The typed outcome the caller must see.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Expectation {
    /// `Ok(response)`.
    Ok {
        /// The status the caller sees (the real one when an envelope was unwrapped).
        status: u16,
        /// `headers.rate_limit_limit`; absent or null means the header must decode as `None`.
        #[serde(default)]
        rate_limit_limit: Option<i64>,
        /// `headers.rate_limit_remaining`; absent or null means `None`.
        #[serde(default)]
        rate_limit_remaining: Option<i64>,
    },
    /// `Err(Error::Api(..))`: a documented error with a decoded `ApiError` body.
    Api {
        /// The status the caller sees (the real one when an envelope was unwrapped).
        status: u16,
        /// `error_code()` and `body.error_code`.
        error_code: String,
        /// `body.detail`, when given.
        #[serde(default)]
        detail: Option<String>,
        /// `body.reason`, when given.
        #[serde(default)]
        reason: Option<String>,
        /// `body.parameters`, when given.
        #[serde(default)]
        parameters: Option<Vec<serde_json::Value>>,
        /// `retry_after()`; absent or null means `None`.
        #[serde(default)]
        retry_after: Option<u64>,
        /// `is_already_gone()`.
        already_gone: bool,
        /// `raw_body`, when it is not the recorded body (an unwrapped envelope's content).
        #[serde(default)]
        raw_body: Option<String>,
    },
    /// `Err(Error::Auth(..))`: a final 401.
    Auth {
        /// `status()`.
        status: u16,
        /// `error_code()`, when given.
        #[serde(default)]
        error_code: Option<String>,
    },
    /// `Err(Error::UnexpectedResponse(..))`: an answer that cannot be decoded, kept raw.
    Unexpected {
        /// `status`.
        status: u16,
        /// `content_type`; absent or null means none was sent.
        #[serde(default)]
        content_type: Option<String>,
        /// `error_code()`; absent or null means `None`.
        #[serde(default)]
        error_code: Option<String>,
        /// `retry_after()`; absent or null means `None`.
        #[serde(default)]
        retry_after: Option<u64>,
        /// `is_already_gone()`: only decoded answers count, and a 404 naming a missing organization or project does not.
        already_gone: bool,
    },
}

impl Expectation {
    /// The status the caller sees.
    pub fn status(&self) -> u16 {
        match self {
            Expectation::Ok { status, .. }
            | Expectation::Api { status, .. }
            | Expectation::Auth { status, .. }
            | Expectation::Unexpected { status, .. } => *status,
        }
    }

    /// The name of the outcome (`ok`, `api`, `auth`, `unexpected`).
    pub fn kind(&self) -> &'static str {
        match self {
            Expectation::Ok { .. } => "ok",
            Expectation::Api { .. } => "api",
            Expectation::Auth { .. } => "auth",
            Expectation::Unexpected { .. } => "unexpected",
        }
    }
}

/// The folder that holds the fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Reads and checks one fixture by name (the file name without `.json`).
pub fn load_fixture(name: &str) -> Result<Fixture, String> {
    load_file(&fixtures_dir().join(format!("{name}.json")))
}

/// Reads and checks every fixture, sorted by name. Any other file in the folder (besides `README.md`) is an
/// error, so a fixture saved with the wrong extension cannot go unexercised.
pub fn load_all() -> Result<Vec<Fixture>, String> {
    let dir = fixtures_dir();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if file_name == "README.md" {
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("json") || !path.is_file() {
            return Err(format!("{} is not a fixture (only *.json files and README.md belong here)", path.display()));
        }
        paths.push(path);
    }
    paths.sort();
    let mut errors = Vec::new();
    let mut fixtures = Vec::new();
    for path in &paths {
        match load_file(path) {
            Ok(fixture) => fixtures.push(fixture),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(fixtures) } else { Err(errors.join("\n")) }
}

fn load_file(path: &Path) -> Result<Fixture, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut fixture: Fixture =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a valid fixture: {e}", path.display()))?;
    fixture.name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
    let problems = self_check(&fixture);
    if problems.is_empty() {
        Ok(fixture)
    } else {
        Err(format!("{} contradicts itself:\n  - {}", path.display(), problems.join("\n  - ")))
    }
}

/// Checks that a fixture is internally consistent, so a wrong fixture fails loudly instead of testing
/// nothing.
fn self_check(fixture: &Fixture) -> Vec<String> {
    let mut problems = Vec::new();
    let call = &fixture.call;
    let wanted: BTreeSet<&str> = call.operation.path_parameters().into_iter().collect();
    let given: BTreeSet<&str> = call.args.keys().map(String::as_str).collect();
    if wanted != given {
        problems.push(format!("call.args has {given:?}, {} takes {wanted:?}", call.operation));
    }
    for (name, value) in &call.args {
        if !fixture.request.path.contains(value.as_str()) {
            problems.push(format!("request.path does not contain call.args.{name} ({value})"));
        }
    }
    let mut query_from_call = Vec::new();
    if let Some(envelope) = call.envelope {
        query_from_call.push(("envelope".to_owned(), envelope.to_string()));
    }
    if let Some(pretty) = call.pretty {
        query_from_call.push(("pretty".to_owned(), pretty.to_string()));
    }
    let mut query = fixture.request.query.clone();
    query.sort();
    query_from_call.sort();
    if query != query_from_call {
        problems.push(format!("request.query {query:?} does not follow from call {query_from_call:?}"));
    }
    if !fixture.request.headers.keys().any(|k| k.eq_ignore_ascii_case("accept")) {
        problems.push("request.headers has no Accept".to_owned());
    }
    let expects_auth = call.auth != AuthSetup::None;
    if expects_auth != (fixture.request.authorization == HeaderPresence::Present) {
        problems.push("request.authorization must be `present` exactly when call.auth sets credentials".to_owned());
    }
    for forbidden in ["content-length", "transfer-encoding", "connection"] {
        if fixture.response.header(forbidden).is_some() {
            problems.push(format!("response.headers lists {forbidden}; the server computes it"));
        }
    }
    let enveloped = call.envelope == Some(true);
    let wire_status = fixture.response.status;
    let seen_status = fixture.expect.status();
    if enveloped && matches!(fixture.expect, Expectation::Ok { .. } | Expectation::Api { .. }) {
        if wire_status != 200 {
            problems.push(format!("an envelope answer is 200 on the wire, not {wire_status}"));
        }
        let inner = serde_json::from_str::<serde_json::Value>(&fixture.response.body)
            .ok()
            .and_then(|v| v.get("status").and_then(serde_json::Value::as_u64));
        if inner != Some(u64::from(seen_status)) {
            problems.push(format!("the envelope's status is {inner:?}, expect.status is {seen_status}"));
        }
    } else if wire_status != seen_status {
        problems.push(format!("response.status is {wire_status}, expect.status is {seen_status}"));
    }
    if !enveloped && wire_status == 204 && !fixture.response.body.is_empty() {
        problems.push("a 204 has no body".to_owned());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
        "description": "d",
        "call": {"operation": "deleteOrgApiKey", "args": {"orgId": "aaaaaaaaaaaaaaaaaaaaaaaa", "apiUserId": "bbbbbbbbbbbbbbbbbbbbbbbb"}},
        "request": {"method": "DELETE", "path": "/api/atlas/v2/orgs/aaaaaaaaaaaaaaaaaaaaaaaa/apiKeys/bbbbbbbbbbbbbbbbbbbbbbbb",
                    "headers": {"Accept": "application/vnd.atlas.2023-01-01+json"}, "authorization": "absent"},
        "response": {"status": 204},
        "expect": {"kind": "ok", "status": 204}
    }"#;

    #[test]
    fn a_minimal_fixture_is_consistent() {
        let fixture: Fixture = serde_json::from_str(MINIMAL).unwrap();
        assert_eq!(self_check(&fixture), Vec::<String>::new());
    }

    #[test]
    fn unknown_fields_are_rejected_even_inside_the_expectation() {
        let typo = MINIMAL.replace(r#""status": 204}"#, r#""status": 204, "rate_limit_limt": 5}"#);
        let error = serde_json::from_str::<Fixture>(&typo).unwrap_err().to_string();
        assert!(error.contains("rate_limit_limt"), "{error}");
    }

    #[test]
    fn a_query_that_does_not_follow_from_the_call_is_reported() {
        let mut fixture: Fixture = serde_json::from_str(MINIMAL).unwrap();
        fixture.request.query.push(("pretty".into(), "true".into()));
        let problems = self_check(&fixture);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("request.query"), "{problems:?}");
    }
}
