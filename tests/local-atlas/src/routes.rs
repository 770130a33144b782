//! Routing and the handlers of each route: authentication, rate limit, a scripted answer or the state
//! change, the answer. The three API-key deletes have hand-written handlers (here); every other operation
//! of the configured spec is served by `serve.rs`.

use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, HOST};
use http::{Method, Request, Response};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use super::COUNTERS_PATH;
use super::answer::{Answer, Flags, error_answer};
use super::body::{self, CHALLENGE_CONTENT_TYPE, ERROR_CONTENT_TYPE};
use super::config::{AuthMode, DigestAlgorithm};
use super::digest::{DigestCredentials, DigestOutcome};
use super::oauth::{RevokeAnswer, TokenAnswer};
use super::operations::Operation;
use super::rate_limit::{Admission, TokenBucket};
use super::seed::is_id;
use super::serve::{SpecRequest, serve};
use super::server::Shared;
use super::spec::SpecOperation;
use super::state::{Principal, Refusal};

/// The `RateLimit-Limit` the local Atlas reports for a spec operation when no rate limit is configured:
/// what the live service reports for most of the API-key operations (recorded: 500).
const DEFAULT_RATE_LIMIT: u32 = 500;

enum Route<'a> {
    Api { operation: Operation, parent: String, key: String },
    Spec { operation: &'a SpecOperation },
    Token,
    Revoke,
    Counters,
    MethodNotAllowed,
    NotFound,
}

fn route<'a>(shared: &'a Shared, method: &Method, path: &str) -> Route<'a> {
    let post_only = |route| if method == Method::POST { route } else { Route::MethodNotAllowed };
    match path {
        "/api/oauth/token" => return post_only(Route::Token),
        "/api/oauth/revoke" => return post_only(Route::Revoke),
        COUNTERS_PATH => return if method == Method::GET { Route::Counters } else { Route::MethodNotAllowed },
        _ => {}
    }
    if let Some((operation, mut values)) = Operation::route(path)
        && method.as_str() == operation.info().method
    {
        // Every operation here has two path parameters: the container (org, project, user) and the key.
        let key = values.pop().unwrap_or_default();
        let parent = values.pop().unwrap_or_default();
        return Route::Api { operation, parent, key };
    }
    if let Some((operations, _)) = shared.config.spec.as_deref().and_then(|spec| spec.route(path)) {
        return match operations.into_iter().find(|op| op.method == method.as_str()) {
            Some(operation) => Route::Spec { operation },
            None => Route::MethodNotAllowed,
        };
    }
    if Operation::route(path).is_some() { Route::MethodNotAllowed } else { Route::NotFound }
}

/// Serves one request. Never fails: every problem is an HTTP answer.
pub(crate) async fn handle<B>(shared: Arc<Shared>, request: Request<B>) -> Response<Full<Bytes>>
where
    B: hyper::body::Body,
{
    let method = request.method().clone();
    let target = request.uri().path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_else(|| "/".into());
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let flags = Flags::of(query.as_deref());
    let header =
        |name| request.headers().get(name).and_then(|v: &http::HeaderValue| v.to_str().ok()).map(str::to_owned);
    let authorization = header(AUTHORIZATION);
    let accept = header(ACCEPT);
    let base_url = format!("http://{}", header(HOST).unwrap_or_else(|| "127.0.0.1".to_owned()));
    let shared_ref = shared.clone();
    let (name, answer) = match route(&shared_ref, &method, &path) {
        Route::Counters => {
            // Reading the counters is not counted, so a test can read them without changing them.
            let snapshot = serde_json::to_value(shared.counters.snapshot()).unwrap_or(Value::Null);
            return Answer::json(200, ERROR_CONTENT_TYPE, body::render(&snapshot, flags.pretty)).into_response();
        }
        Route::Token => {
            let form = read_text(request.into_body()).await;
            ("oauthToken".to_owned(), token(&shared, authorization.as_deref(), &form))
        }
        Route::Revoke => {
            let form = read_text(request.into_body()).await;
            ("oauthRevoke".to_owned(), revoke(&shared, authorization.as_deref(), &form))
        }
        Route::Api { operation, parent, key } => {
            let gate = Gate { method: &method, target: &target, authorization: authorization.as_deref() };
            let id = operation.operation_id();
            let answer = gated(&shared, id, true, operation.info().live_rate_limit, gate, |principal| {
                api(&shared, operation, &parent, &key, principal, flags)
            });
            (id.to_owned(), answer)
        }
        Route::Spec { operation } => {
            let body = match request.into_body().collect().await {
                Ok(collected) => collected.to_bytes(),
                Err(_) => Bytes::new(),
            };
            let gate = Gate { method: &method, target: &target, authorization: authorization.as_deref() };
            let id = operation.operation_id.as_str();
            let answer = gated(&shared, id, operation.needs_auth, DEFAULT_RATE_LIMIT, gate, |principal| {
                let spec = shared.config.spec.as_deref().expect("a spec route has a spec");
                let request = SpecRequest {
                    operation,
                    path: &path,
                    query: query.as_deref(),
                    accept: accept.as_deref(),
                    body: &body,
                    base_url: &base_url,
                    flags,
                    principal: &principal,
                };
                serve(&mut shared.state(), spec, &request)
            });
            (id.to_owned(), answer)
        }
        Route::MethodNotAllowed => {
            let detail = format!("{method} is not allowed on {path}.");
            ("methodNotAllowed".to_owned(), Answer::error(405, "METHOD_NOT_ALLOWED", &detail, vec![], flags))
        }
        Route::NotFound => {
            let detail = format!("Cannot find resource {path}.");
            ("notFound".to_owned(), Answer::error(404, "RESOURCE_NOT_FOUND", &detail, vec![json!(path)], flags))
        }
    };
    shared.counters.record(&name, answer.status);
    answer.into_response()
}

async fn read_text<B: hyper::body::Body>(body: B) -> String {
    match body.collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
        Err(_) => String::new(),
    }
}

/// What authentication looks at.
struct Gate<'a> {
    method: &'a Method,
    target: &'a str,
    authorization: Option<&'a str>,
}

/// An API operation behind authentication (when it needs it) and its token bucket: the scripted answer
/// queued for it, if any, else what `handler` answers, with the `RateLimit-*` headers.
fn gated(
    shared: &Shared,
    operation_id: &str,
    needs_auth: bool,
    live_limit: u32,
    gate: Gate<'_>,
    handler: impl FnOnce(Principal) -> Answer,
) -> Answer {
    let principal = if needs_auth {
        match authenticate(shared, gate.method, gate.target, gate.authorization) {
            Ok(principal) => principal,
            Err(answer) => return answer,
        }
    } else {
        Principal::Anonymous
    };
    let (limit, remaining) = match shared.bucket(operation_id) {
        None => (live_limit, live_limit),
        Some(bucket) => match bucket.admit() {
            Admission::Admitted { remaining } => (bucket.limit().capacity, remaining),
            Admission::Limited { retry_after_secs } => {
                return rate_limited(shared, &bucket, operation_id, retry_after_secs);
            }
        },
    };
    let scripted = shared.script.lock().unwrap_or_else(|e| e.into_inner()).next(operation_id);
    if let Some(scripted) = scripted {
        let mut answer = Answer::new(scripted.status, None, scripted.body);
        answer.headers = scripted.headers;
        return answer;
    }
    handler(principal).header("ratelimit-limit", limit.to_string()).header("ratelimit-remaining", remaining.to_string())
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
        let state = shared.state();
        state.digest_credentials(username).map(|(id, key)| (id.to_owned(), key.private_key.clone()))
    });
    match outcome {
        DigestOutcome::Accepted { key_id, algorithm, .. } => {
            shared.counters.update(|c| {
                c.digest_accepted += 1;
                c.digest_sha256_accepted += u64::from(algorithm == DigestAlgorithm::Sha256);
            });
            let state = shared.state();
            let org_id = state.api_keys.get(&key_id).map(|k| k.org_id.clone()).unwrap_or_default();
            Ok(Principal::ApiKey { key_id, org_id })
        }
        DigestOutcome::Challenge { stale, .. } => Err(challenge(shared, stale)),
    }
}

/// The hand-written delete operations, once authenticated and admitted.
fn api(shared: &Shared, operation: Operation, parent: &str, key: &str, principal: Principal, flags: Flags) -> Answer {
    let result = {
        let mut state = shared.state();
        match operation {
            Operation::DeleteOrgApiKey if !is_id(parent) => Err(Refusal::OrgNotFound(parent.to_owned())),
            Operation::RemoveGroupApiKey if !is_id(parent) => Err(Refusal::GroupNotFound(parent.to_owned())),
            Operation::DeleteOrgApiKey => state.delete_org_key(&principal, parent, key),
            Operation::RemoveGroupApiKey => state.unassign_key(&principal, parent, key),
            Operation::DeleteUserApiKey => state.delete_user_key(parent, key),
        }
    };
    let content_type = operation.info().success_content_type;
    match result {
        Ok(()) => {
            shared.counters.update(|c| match operation {
                Operation::DeleteOrgApiKey => c.org_keys_deleted += 1,
                Operation::RemoveGroupApiKey => c.keys_unassigned += 1,
                Operation::DeleteUserApiKey => {}
            });
            Answer::success(204, content_type, None, flags)
        }
        Err(refusal) => {
            let (status, code, error) = refusal_body(&refusal, parent);
            error_answer(status, code, &error, flags, content_type)
        }
    }
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

fn rate_limited(shared: &Shared, bucket: &TokenBucket, operation_id: &str, retry_after: u64) -> Answer {
    shared.counters.update(|c| c.rate_limited += 1);
    let limit = bucket.limit();
    let error =
        body::rate_limited_body(operation_id, retry_after, limit.capacity, limit.refill, limit.period.as_secs());
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
