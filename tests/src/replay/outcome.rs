//! Driving the generated client with a fixture's `call`, and checking what it returned against `expect`.

use std::collections::BTreeMap;

use atlas_admin::runtime::ErrorResponse;
use atlas_admin::types::ApiError;
use atlas_admin::{ApiUserId, Client, Error, GroupId, KeyId, OrgId, UserId};
use http::HeaderMap;

use super::fixture::{AuthSetup, Expectation, Fixture, Operation};

/// What one call returned, with the success side flattened so all three operations look alike.
#[derive(Debug)]
pub enum Outcome {
    /// `Ok(response)`.
    Ok {
        /// `response.status`.
        status: u16,
        /// `response.headers.rate_limit_limit` (`None` for an operation that documents no such header).
        rate_limit_limit: Option<i64>,
        /// `response.headers.rate_limit_remaining` (likewise).
        rate_limit_remaining: Option<i64>,
        /// `response.raw_headers`.
        raw_headers: HeaderMap,
    },
    /// `Err(error)`.
    Err(Error),
}

/// A client for `base_url` configured as the fixture's `call.auth` says, making exactly one attempt per call
/// (retries are tested on their own, with scripts of several exchanges).
pub fn client_for(fixture: &Fixture, base_url: &str) -> Client {
    let builder = Client::builder().base_url(base_url).no_retries();
    let builder = match &fixture.call.auth {
        AuthSetup::None => builder,
        AuthSetup::Bearer(token) => builder.bearer_token(token.clone()),
        AuthSetup::Digest { public_key, private_key } => builder.digest_auth(public_key.clone(), private_key.clone()),
    };
    builder.build().unwrap_or_else(|e| panic!("{}: the client could not be built: {e}", fixture.name))
}

/// Parses an id the fixture gives, failing the test with the fixture's name when it is invalid.
fn id<T: std::str::FromStr<Err = atlas_admin::runtime::InvalidId>>(fixture: &Fixture, name: &str) -> T {
    fixture
        .call
        .arg(name)
        .parse()
        .unwrap_or_else(|e| panic!("{}: call.args.{name} is not a valid id: {e}", fixture.name))
}

/// Makes the fixture's call with `client` and returns what it produced.
pub async fn run_call(fixture: &Fixture, client: &Client) -> Outcome {
    let call = &fixture.call;
    macro_rules! finish {
        ($builder:expr) => {{
            let mut builder = $builder;
            if let Some(envelope) = call.envelope {
                builder = builder.envelope(envelope);
            }
            if let Some(pretty) = call.pretty {
                builder = builder.pretty(pretty);
            }
            match builder.send().await {
                Ok(response) => {
                    // Every answer carries the one headers struct, documented headers or not.
                    let headers: &atlas_admin::operations::ResponseHeaders = &response.headers;
                    Outcome::Ok {
                        status: response.status.as_u16(),
                        rate_limit_limit: headers.rate_limit_limit,
                        rate_limit_remaining: headers.rate_limit_remaining,
                        raw_headers: response.raw_headers,
                    }
                }
                Err(error) => Outcome::Err(error),
            }
        }};
    }
    match call.operation {
        Operation::DeleteOrgApiKey => {
            let org: OrgId = id(fixture, "orgId");
            let key: ApiUserId = id(fixture, "apiUserId");
            finish!(client.delete_org_api_key(&org, &key))
        }
        Operation::RemoveGroupApiKey => {
            let group: GroupId = id(fixture, "groupId");
            let key: ApiUserId = id(fixture, "apiUserId");
            finish!(client.remove_group_api_key(&group, &key))
        }
        Operation::DeleteUserApiKey => {
            let user: UserId = id(fixture, "userId");
            let key: KeyId = id(fixture, "keyId");
            #[allow(deprecated)]
            let builder = client.delete_user_api_key(&user, &key);
            finish!(builder)
        }
    }
}

/// Every way `outcome` differs from the fixture's `expect`, one sentence each; empty when it matches.
pub fn check_outcome(fixture: &Fixture, outcome: &Outcome) -> Vec<String> {
    let mut found = Vec::new();
    match (&fixture.expect, outcome) {
        (
            Expectation::Ok { status, rate_limit_limit, rate_limit_remaining },
            Outcome::Ok { status: got, rate_limit_limit: limit, rate_limit_remaining: remaining, .. },
        ) => {
            differ(&mut found, "status", status, got);
            differ(&mut found, "headers.rate_limit_limit", rate_limit_limit, limit);
            differ(&mut found, "headers.rate_limit_remaining", rate_limit_remaining, remaining);
        }
        (expect @ Expectation::Api { .. }, Outcome::Err(error @ Error::Api(response))) => {
            check_api(&mut found, fixture, expect, error, response);
        }
        (Expectation::Auth { status, error_code }, Outcome::Err(error @ Error::Auth(auth))) => {
            differ(&mut found, "status()", &Some(*status), &error.status().map(|s| s.as_u16()));
            if let Some(code) = error_code {
                differ(&mut found, "error_code()", &Some(code.clone()), &error.error_code());
            }
            match &auth.response {
                Some(raw) => differ(&mut found, "the kept body", &fixture.response.body, &text(&raw.body)),
                None => found.push("the Auth error keeps no answer".to_owned()),
            }
            if !error.is_unauthorized() {
                found.push(format!("is_unauthorized() is false (kind {:?})", auth.kind));
            }
        }
        (
            Expectation::Unexpected { status, content_type, error_code, retry_after, already_gone },
            Outcome::Err(error @ Error::UnexpectedResponse(raw)),
        ) => {
            differ(&mut found, "status", status, &raw.status.as_u16());
            differ(&mut found, "content_type", content_type, &raw.content_type);
            differ(&mut found, "body", &fixture.response.body, &text(&raw.body));
            differ(&mut found, "error_code()", error_code, &error.error_code());
            differ(&mut found, "retry_after()", retry_after, &error.retry_after());
            differ(&mut found, "is_already_gone()", already_gone, &error.is_already_gone());
        }
        (expect, outcome) => {
            found.push(format!("expected a `{}` outcome, got {}", expect.kind(), describe(outcome)));
        }
    }
    found
}

fn differ<T: PartialEq + std::fmt::Debug>(found: &mut Vec<String>, what: &str, expected: &T, actual: &T) {
    if expected != actual {
        found.push(format!("{what}: expected {expected:?}, got {actual:?}"));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check_api(
    found: &mut Vec<String>,
    fixture: &Fixture,
    expect: &Expectation,
    error: &Error,
    response: &ErrorResponse<ApiError>,
) {
    let Expectation::Api { status, error_code, detail, reason, parameters, retry_after, already_gone, raw_body } =
        expect
    else {
        unreachable!("check_api is only called for `api` expectations")
    };
    let body = &response.body;
    differ(found, "status", status, &response.status.as_u16());
    differ(found, "body.error", &Some(i32::from(*status)), &body.error);
    differ(found, "body.error_code", &Some(error_code.clone()), &body.error_code);
    differ(found, "error_code()", &Some(error_code.clone()), &error.error_code());
    if detail.is_some() {
        differ(found, "body.detail", detail, &body.detail);
    }
    if reason.is_some() {
        differ(found, "body.reason", reason, &body.reason);
    }
    if parameters.is_some() {
        differ(found, "body.parameters", parameters, &body.parameters);
    }
    differ(found, "retry_after()", retry_after, &error.retry_after());
    differ(found, "is_already_gone()", already_gone, &error.is_already_gone());
    let wanted_raw = raw_body.clone().unwrap_or_else(|| fixture.response.body.clone());
    differ(found, "raw_body", &wanted_raw, &text(&response.raw_body));
    // The decoded body must say what the raw body says, field by field, whatever the fixture pins.
    match serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(&response.raw_body) {
        Ok(raw) => {
            let decoded = serde_json::to_value(body).unwrap_or_default();
            for (field, value) in &raw {
                // `null` and a missing field both decode to None, which is serialised as missing.
                if value.is_null() && decoded.get(field).is_none() {
                    continue;
                }
                differ(found, &format!("decoded {field}"), &Some(value), &decoded.get(field));
            }
        }
        Err(e) => found.push(format!("raw_body is not a JSON object: {e}")),
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok { status, .. } => format!("Ok with status {status}"),
        Outcome::Err(error) => format!("Err({error}) = {error:?}"),
    }
}
