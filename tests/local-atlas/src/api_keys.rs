//! Organization API keys as the API shows them (`/api/atlas/v2/orgs/{orgId}/apiKeys`): listed, created,
//! read and updated from the same state the digest check and the delete operations use, so a key created
//! through the API authenticates at once and a deleted one stops.

use rand::Rng;
use serde_json::{Value, json};

use super::resources::{PageRequest, object_id, page, self_link};
use super::state::AtlasState;

/// The path template of the collection.
pub const ORG_API_KEYS: &str = "/api/atlas/v2/orgs/{orgId}/apiKeys";

/// Why a request about keys was refused: status, error code, detail.
pub type Refused = (u16, &'static str, String);

/// The key as the API shows it; the private key in clear only when it was just created.
fn document(state: &AtlasState, base_url: &str, org_id: &str, key_id: &str, clear: bool) -> Option<Value> {
    let key = state.api_keys.get(key_id).filter(|key| key.org_id == org_id)?;
    let private_key = if clear { key.private_key.clone() } else { masked(&key.private_key) };
    let roles: Vec<Value> = key.roles.iter().map(|role| json!({ "orgId": org_id, "roleName": role })).collect();
    Some(json!({
        "desc": key.description,
        "id": key_id,
        "links": self_link(base_url, &format!("/api/atlas/v2/orgs/{org_id}/apiKeys/{key_id}")),
        "privateKey": private_key,
        "publicKey": key.public_key,
        "roles": roles,
    }))
}

/// `********-****-****-01bdd56c8977`: how Atlas shows a private key after its creation.
fn masked(private_key: &str) -> String {
    let tail: String = private_key.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
    format!("********-****-****-{tail}")
}

/// `GET`: one page of the organization's keys, in id order.
pub fn list(state: &AtlasState, base_url: &str, org_id: &str, request: PageRequest) -> Value {
    let keys: Vec<Value> = state
        .api_keys
        .iter()
        .filter(|(_, key)| key.org_id == org_id)
        .filter_map(|(id, _)| document(state, base_url, org_id, id, false))
        .collect();
    page(&keys, request, base_url, &format!("/api/atlas/v2/orgs/{org_id}/apiKeys"))
}

/// `POST`: a new key with a fresh public and private key (8 lowercase letters, and a UUID, as Atlas makes
/// them). `{"desc": ..., "roles": [...]}`, both required.
pub fn create(state: &mut AtlasState, base_url: &str, org_id: &str, body: &Value) -> Result<Value, Refused> {
    let description = body.get("desc").and_then(Value::as_str).filter(|d| !d.trim().is_empty());
    let Some(description) = description else {
        return Err((400, "INVALID_ATTRIBUTE", "All API keys require a non-empty description.".to_owned()));
    };
    let roles = roles_of(body).ok_or((
        400,
        "INVALID_ATTRIBUTE",
        "API key role assignments must include at least one role.".to_owned(),
    ))?;
    let id = object_id();
    let mut rng = rand::rng();
    let public_key: String = (0..8).map(|_| rng.random_range(b'a'..=b'z') as char).collect();
    let hex = |n: usize, rng: &mut rand::rngs::ThreadRng| -> String {
        (0..n).map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0')).collect()
    };
    let private_key = format!(
        "{}-{}-4{}-a{}-{}",
        hex(8, &mut rng),
        hex(4, &mut rng),
        hex(3, &mut rng),
        hex(3, &mut rng),
        hex(12, &mut rng)
    );
    state.insert_key(&id, org_id, &public_key, &private_key);
    if let Some(key) = state.api_keys.get_mut(&id) {
        key.description = description.to_owned();
        key.roles = roles;
    }
    Ok(document(state, base_url, org_id, &id, true).unwrap_or(Value::Null))
}

/// `GET` one key.
pub fn get(state: &AtlasState, base_url: &str, org_id: &str, key_id: &str) -> Option<Value> {
    document(state, base_url, org_id, key_id, false)
}

/// `PATCH` one key: `desc` and/or `roles`.
pub fn update(state: &mut AtlasState, base_url: &str, org_id: &str, key_id: &str, body: &Value) -> Option<Value> {
    let key = state.api_keys.get_mut(key_id).filter(|key| key.org_id == org_id)?;
    if let Some(description) = body.get("desc").and_then(Value::as_str) {
        key.description = description.to_owned();
    }
    if let Some(roles) = roles_of(body) {
        key.roles = roles;
    }
    document(state, base_url, org_id, key_id, false)
}

fn roles_of(body: &Value) -> Option<Vec<String>> {
    let roles: Vec<String> =
        body.get("roles")?.as_array()?.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    (!roles.is_empty()).then_some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    const ACME: &str = "64a1f0c2e4b0a1b2c3d4e5f6";

    #[test]
    fn a_created_key_authenticates_and_lists_with_its_private_key_masked() {
        let mut state = AtlasState::from_seed(&Seed::committed());
        let created =
            create(&mut state, "http://h", ACME, &json!({ "desc": "rotation", "roles": ["ORG_OWNER"] })).unwrap();
        let id = created["id"].as_str().unwrap();
        let public_key = created["publicKey"].as_str().unwrap();
        let private_key = created["privateKey"].as_str().unwrap();
        assert_eq!((public_key.len(), private_key.len()), (8, 36));
        assert_eq!(created["roles"], json!([{ "orgId": ACME, "roleName": "ORG_OWNER" }]));
        assert_eq!(state.digest_credentials(public_key).map(|(key, _)| key), Some(id), "it authenticates");
        let listed = list(&state, "http://h", ACME, PageRequest::from_query(None).unwrap());
        let shown = listed["results"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap().clone();
        assert!(shown["privateKey"].as_str().unwrap().starts_with("********-****-****-"));
        assert!(shown["privateKey"].as_str().unwrap().ends_with(&private_key[24..]));
        assert!(create(&mut state, "", ACME, &json!({ "roles": ["ORG_OWNER"] })).is_err(), "desc is required");
    }
}
