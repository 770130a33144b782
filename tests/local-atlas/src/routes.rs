//! Routing and the handlers of each route: authentication, rate limit, the state change, the answer.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use super::COUNTERS_PATH;
use super::body::{self, CHALLENGE_CONTENT_TYPE, ERROR_CONTENT_TYPE};
use super::config::{AuthMode, DigestAlgorithm};
use super::digest::{DigestCredentials, DigestOutcome};
use super::oauth::{RevokeAnswer, TokenAnswer};
use super::operations::Operation;
use super::rate_limit::{Admission, TokenBucket};
use super::server::Shared;
use super::state::{Principal, Refusal};

enum Route {
    Api { operation: Operation, parent: String, key: String },
    Token,
    Revoke,
    Counters,
    MethodNotAllowed,
    NotFound,
}

fn route(method: &Method, path: &str) -> Route {
    let post_only = |route| if method == Method::POST { route } else { Route::MethodNotAllowed };
    match path {
        "/api/oauth/token" => return post_only(Route::Token),
        "/api/oauth/revoke" => return post_only(Route::Revoke),
        COUNTERS_PATH => return if method == Method::GET { Route::Counters } else { Route::MethodNotAllowed },
        _ => {}
    }
    let Some((operation, mut values)) = Operation::route(path) else { return Route::NotFound };
    if method.as_str() != operation.info().method {
        return Route::MethodNotAllowed;
    }
    // Every operation here has two path parameters: the container (org, project, user) and the key.
    let key = values.pop().unwrap_or_default();
    let parent = values.pop().unwrap_or_default();
    Route::Api { operation, parent, key }
}

/// One answer before it becomes a hyper response.
struct Answer {
    status: u16,
    content_type: Option<&'static str>,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Answer {
    fn json(status: u16, content_type: &'static str, body: String) -> Answer {
        Answer { status, content_type: Some(content_type), headers: Vec::new(), body }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Answer {
        self.headers.push((name, value.into()));
        self
    }
}

/// `envelope` and `pretty` from the query string.
#[derive(Default, Clone, Copy)]
struct Flags {
    envelope: bool,
    pretty: bool,
}

fn flags(query: Option<&str>) -> Flags {
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

/// Serves one request. Never fails: every problem is an HTTP answer.
pub(crate) async fn handle<B>(shared: Arc<Shared>, request: Request<B>) -> Response<Full<Bytes>>
where
    B: hyper::body::Body,
{
    let method = request.method().clone();
    let target = request.uri().path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let path = request.uri().path().to_owned();
    let flags = flags(request.uri().query());
    let authorization = request.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (name, answer) = match route(&method, &path) {
        Route::Counters => {
            // Reading the counters is not counted, so a test can read them without changing them.
            let snapshot = serde_json::to_value(shared.counters.snapshot()).unwrap_or(Value::Null);
            return into_response(Answer::json(200, ERROR_CONTENT_TYPE, body::render(&snapshot, flags.pretty)));
        }
        Route::Token => {
            let form = match request.into_body().collect().await {
                Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
                Err(_) => String::new(),
            };
            ("oauthToken", token(&shared, authorization.as_deref(), &form))
        }
        Route::Revoke => {
            let form = match request.into_body().collect().await {
                Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
                Err(_) => String::new(),
            };
            ("oauthRevoke", revoke(&shared, authorization.as_deref(), &form))
        }
        Route::Api { operation, parent, key } => {
            let answer = api(&shared, operation, &parent, &key, &method, &target, authorization.as_deref(), flags);
            (operation.operation_id(), answer)
        }
        Route::MethodNotAllowed => {
            let error =
                body::api_error(405, "METHOD_NOT_ALLOWED", &format!("{method} is not allowed on {path}."), vec![]);
            ("methodNotAllowed", error_answer(405, "METHOD_NOT_ALLOWED", &error, flags, ERROR_CONTENT_TYPE))
        }
        Route::NotFound => {
            let error =
                body::api_error(404, "RESOURCE_NOT_FOUND", &format!("Cannot find resource {path}."), vec![json!(path)]);
            ("notFound", error_answer(404, "RESOURCE_NOT_FOUND", &error, flags, ERROR_CONTENT_TYPE))
        }
    };
    shared.counters.record(name, answer.status);
    into_response(answer)
}

fn into_response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Some(content_type) = answer.content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    for (name, value) in answer.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(HeaderName::from_static(name), value);
        }
    }
    response
}

/// An error answer, wrapped when `envelope=true`.
fn error_answer(status: u16, code: &str, error: &Value, flags: Flags, envelope_type: &'static str) -> Answer {
    let answer = if flags.envelope {
        Answer::json(200, envelope_type, body::render(&body::envelope(status, Some(error.clone())), flags.pretty))
    } else {
        Answer::json(status, ERROR_CONTENT_TYPE, body::render(error, flags.pretty))
    };
    answer.header("x-error-code", code)
}

/// The 401 with a fresh digest challenge (one `WWW-Authenticate` per offered algorithm).
fn challenge(shared: &Shared, stale: bool) -> Answer {
    shared.counters.update(|c| {
        c.challenges_issued += 1;
        c.stale_challenges += u64::from(stale);
    });
    // As recorded from the live service: no X-Error-Code on the challenge, and Vary: Accept-Encoding.
    let mut answer =
        Answer::json(401, CHALLENGE_CONTENT_TYPE, body::challenge_body()).header("vary", "Accept-Encoding");
    for value in shared.digest.challenge(stale) {
        answer = answer.header("www-authenticate", value);
    }
    answer
}

fn authenticate(
    shared: &Shared,
    method: &Method,
    target: &str,
    authorization: Option<&str>,
) -> Result<Principal, Answer> {
    if shared.config.auth == AuthMode::Disabled {
        return Ok(Principal::Anonymous);
    }
    let Some(authorization) = authorization else { return Err(challenge(shared, false)) };
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        return match shared.tokens.verify(token.trim()) {
            Some(principal) => {
                shared.counters.update(|c| c.bearer_accepted += 1);
                Ok(principal)
            }
            None => Err(challenge(shared, false)),
        };
    }
    let Some(credentials) = DigestCredentials::parse(authorization) else { return Err(challenge(shared, false)) };
    let outcome = shared.digest.verify(&credentials, method.as_str(), target, |username| {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        state.digest_credentials(username).map(|(id, key)| (id.to_owned(), key.private_key.clone()))
    });
    match outcome {
        DigestOutcome::Accepted { key_id, algorithm, .. } => {
            shared.counters.update(|c| {
                c.digest_accepted += 1;
                c.digest_sha256_accepted += u64::from(algorithm == DigestAlgorithm::Sha256);
            });
            let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            let org_id = state.api_keys.get(&key_id).map(|k| k.org_id.clone()).unwrap_or_default();
            Ok(Principal::ApiKey { key_id, org_id })
        }
        DigestOutcome::Challenge { stale, .. } => Err(challenge(shared, stale)),
    }
}

fn is_id(value: &str) -> bool {
    value.len() == 24 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[allow(clippy::too_many_arguments)]
fn api(
    shared: &Shared,
    operation: Operation,
    parent: &str,
    key: &str,
    method: &Method,
    target: &str,
    authorization: Option<&str>,
    flags: Flags,
) -> Answer {
    let principal = match authenticate(shared, method, target, authorization) {
        Ok(principal) => principal,
        Err(answer) => return answer,
    };
    let (limit, remaining) = match shared.buckets.get(&operation) {
        None => (operation.info().live_rate_limit, operation.info().live_rate_limit),
        Some(bucket) => match bucket.admit() {
            Admission::Admitted { remaining } => (bucket.limit().capacity, remaining),
            Admission::Limited { retry_after_secs } => {
                return rate_limited(shared, bucket, operation, retry_after_secs);
            }
        },
    };
    let result = {
        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        match operation {
            Operation::DeleteOrgApiKey if !is_id(parent) => Err(Refusal::OrgNotFound(parent.to_owned())),
            Operation::RemoveGroupApiKey if !is_id(parent) => Err(Refusal::GroupNotFound(parent.to_owned())),
            Operation::DeleteOrgApiKey => state.delete_org_key(&principal, parent, key),
            Operation::RemoveGroupApiKey => state.unassign_key(&principal, parent, key),
            Operation::DeleteUserApiKey => state.delete_user_key(parent, key),
        }
    };
    let content_type = operation.info().success_content_type;
    let answer = match result {
        Ok(()) => {
            shared.counters.update(|c| match operation {
                Operation::DeleteOrgApiKey => c.org_keys_deleted += 1,
                Operation::RemoveGroupApiKey => c.keys_unassigned += 1,
                Operation::DeleteUserApiKey => {}
            });
            if flags.envelope {
                Answer::json(200, content_type, body::render(&body::envelope(204, None), flags.pretty))
            } else {
                // 204 carries the versioned content type and no body, as the live service does.
                Answer { status: 204, content_type: Some(content_type), headers: Vec::new(), body: String::new() }
            }
        }
        Err(refusal) => {
            let (status, code, error) = refusal_body(&refusal, parent);
            error_answer(status, code, &error, flags, content_type)
        }
    };
    answer.header("ratelimit-limit", limit.to_string()).header("ratelimit-remaining", remaining.to_string())
}

fn refusal_body(refusal: &Refusal, parent: &str) -> (u16, &'static str, Value) {
    let (status, code, detail, id) = match refusal {
        Refusal::OrgNotFound(id) if !is_id(id) => {
            (404, "INVALID_ORG_ID", format!("An invalid organization ID {id} was specified."), id.as_str())
        }
        Refusal::GroupNotFound(id) if !is_id(id) => {
            (404, "INVALID_GROUP_ID", format!("An invalid group ID {id} was specified."), id.as_str())
        }
        Refusal::OrgNotFound(id) => {
            (404, "ORG_NOT_FOUND", format!("No organization with ID {id} exists."), id.as_str())
        }
        Refusal::GroupNotFound(id) => (404, "GROUP_NOT_FOUND", format!("No group with ID {id} exists."), id.as_str()),
        Refusal::ApiKeyNotFound(id) => {
            (400, "API_KEY_NOT_FOUND", format!("No API key with ID {id} exists."), id.as_str())
        }
        Refusal::NotInOrg => {
            (401, "USER_UNAUTHORIZED", "Current user is not authorized to perform this action.".to_owned(), parent)
        }
        Refusal::PersonalKeysDeprecated => {
            let detail = "Personal API keys reached end of life on March 1, 2021. Use programmatic API keys or \
                          service accounts instead.";
            return (
                410,
                "PERSONAL_API_KEYS_DEPRECATED",
                body::api_error(410, "PERSONAL_API_KEYS_DEPRECATED", detail, vec![]),
            );
        }
    };
    (status, code, body::api_error(status, code, &detail, vec![json!(id)]))
}

fn rate_limited(shared: &Shared, bucket: &TokenBucket, operation: Operation, retry_after: u64) -> Answer {
    shared.counters.update(|c| c.rate_limited += 1);
    let limit = bucket.limit();
    let error = body::rate_limited_body(
        operation.operation_id(),
        retry_after,
        limit.capacity,
        limit.refill,
        limit.period.as_secs(),
    );
    Answer::json(429, ERROR_CONTENT_TYPE, error.to_string())
        .header("x-error-code", "RATE_LIMITED_TOKEN_BUCKET")
        .header("retry-after", retry_after.to_string())
        .header("ratelimit-limit", limit.capacity.to_string())
        .header("ratelimit-remaining", "0")
}

fn token(shared: &Shared, authorization: Option<&str>, form: &str) -> Answer {
    if let Some(bucket) = &shared.token_bucket
        && let Admission::Limited { retry_after_secs } = bucket.admit()
    {
        shared.counters.update(|c| c.rate_limited += 1);
        let limit = bucket.limit();
        let error = body::rate_limited_body(
            "oauthToken",
            retry_after_secs,
            limit.capacity,
            limit.refill,
            limit.period.as_secs(),
        );
        return Answer::json(429, ERROR_CONTENT_TYPE, error.to_string())
            .header("x-error-code", "RATE_LIMITED_TOKEN_BUCKET")
            .header("retry-after", retry_after_secs.to_string());
    }
    let answer = {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        shared.tokens.token(&state, authorization, form)
    };
    match answer {
        TokenAnswer::Issued { access_token, expires_in } => {
            shared.counters.update(|c| c.tokens_issued += 1);
            let body = json!({ "access_token": access_token, "expires_in": expires_in, "token_type": "Bearer" });
            Answer::json(200, ERROR_CONTENT_TYPE, body.to_string()).header("cache-control", "no-store")
        }
        TokenAnswer::BadRequest(code) => Answer::json(400, ERROR_CONTENT_TYPE, json!({ "error": code }).to_string()),
        TokenAnswer::InvalidClient => invalid_client(),
    }
}

fn invalid_client() -> Answer {
    let body = json!({ "error": "invalid_client", "error_description": "Invalid client credentials." });
    Answer::json(401, ERROR_CONTENT_TYPE, body.to_string())
}

/// `POST /api/oauth/revoke` (RFC 7009): the client authenticates as for a token; an unknown token is not
/// an error (200 either way), a token of another client is left alone.
fn revoke(shared: &Shared, authorization: Option<&str>, form: &str) -> Answer {
    let answer = {
        let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        shared.tokens.revoke(&state, authorization, form)
    };
    match answer {
        RevokeAnswer::Revoked => {
            shared.counters.update(|c| c.tokens_revoked += 1);
            Answer::json(200, ERROR_CONTENT_TYPE, "{}".into())
        }
        RevokeAnswer::NotHeld => Answer::json(200, ERROR_CONTENT_TYPE, "{}".into()),
        RevokeAnswer::BadRequest(code) => Answer::json(400, ERROR_CONTENT_TYPE, json!({ "error": code }).to_string()),
        RevokeAnswer::InvalidClient => invalid_client(),
    }
}
