//! The organizations, projects and keys the local Atlas holds, and the changes deletes make to them.

use std::collections::{BTreeMap, BTreeSet};

use super::resources::Resources;
use super::seed::Seed;

/// One organization API key as the state holds it.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// The owning organization.
    pub org_id: String,
    /// The digest user name.
    pub public_key: String,
    /// The digest password.
    pub private_key: String,
    /// Projects the key is assigned to.
    pub projects: BTreeSet<String>,
    /// What the key is for (`desc` in the API).
    pub description: String,
    /// Its organization roles (`ORG_OWNER`, `ORG_READ_ONLY`, ...).
    pub roles: Vec<String>,
}

/// A service account.
#[derive(Debug, Clone)]
pub struct ServiceAccount {
    /// The OAuth client secret.
    pub client_secret: String,
    /// The organization it acts in.
    pub org_id: String,
}

/// Who made a request, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An organization API key (digest).
    ApiKey {
        /// The key's id.
        key_id: String,
        /// Its organization.
        org_id: String,
    },
    /// A service account (bearer token).
    ServiceAccount {
        /// The client id.
        client_id: String,
        /// Its organization.
        org_id: String,
    },
    /// Authentication is disabled ([`super::AuthMode::Disabled`]): may do anything.
    Anonymous,
}

impl Principal {
    /// True when the caller belongs to the organization (or authentication is off).
    pub fn may_act_in(&self, org_id: &str) -> bool {
        match self {
            Principal::ApiKey { org_id: own, .. } | Principal::ServiceAccount { org_id: own, .. } => own == org_id,
            Principal::Anonymous => true,
        }
    }
}

/// Why a delete was refused: maps one-to-one onto an Atlas error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 404 `ORG_NOT_FOUND`.
    OrgNotFound(String),
    /// 404 `GROUP_NOT_FOUND`.
    GroupNotFound(String),
    /// 400 `API_KEY_NOT_FOUND`.
    ApiKeyNotFound(String),
    /// 401 `USER_UNAUTHORIZED`: authenticated, but not in that organization.
    NotInOrg,
    /// 410 `PERSONAL_API_KEYS_DEPRECATED`.
    PersonalKeysDeprecated,
}

/// The mutable part of the local Atlas.
#[derive(Debug, Default)]
pub struct AtlasState {
    /// Organization id → name.
    pub orgs: BTreeMap<String, String>,
    /// Project id → organization id.
    pub projects: BTreeMap<String, String>,
    /// API key id → key.
    pub api_keys: BTreeMap<String, ApiKey>,
    /// Digest user name (public key) → API key id.
    pub by_public_key: BTreeMap<String, String>,
    /// Client id → service account.
    pub service_accounts: BTreeMap<String, ServiceAccount>,
    /// User ids with (legacy) personal keys.
    pub users: BTreeSet<String>,
    /// Everything else the operations of a spec created (`serve.rs`), by path.
    pub resources: Resources,
}

impl AtlasState {
    /// The state a seed describes.
    pub fn from_seed(seed: &Seed) -> AtlasState {
        let mut state = AtlasState::default();
        for org in &seed.orgs {
            state.orgs.insert(org.id.clone(), org.name.clone());
        }
        for project in &seed.projects {
            state.projects.insert(project.id.clone(), project.org_id.clone());
        }
        for key in &seed.api_keys {
            state.insert_key(&key.id, &key.org_id, &key.public_key, &key.private_key);
            if let Some(k) = state.api_keys.get_mut(&key.id) {
                k.projects = key.projects.iter().cloned().collect();
                k.description = key.description.clone();
            }
        }
        for account in &seed.service_accounts {
            state.service_accounts.insert(
                account.client_id.clone(),
                ServiceAccount { client_secret: account.client_secret.clone(), org_id: account.org_id.clone() },
            );
        }
        state.users = seed.users.iter().map(|u| u.id.clone()).collect();
        state
    }

    /// Adds an organization API key (no project assignments).
    pub fn insert_key(&mut self, id: &str, org_id: &str, public_key: &str, private_key: &str) {
        self.by_public_key.insert(public_key.to_owned(), id.to_owned());
        self.api_keys.insert(
            id.to_owned(),
            ApiKey {
                org_id: org_id.to_owned(),
                public_key: public_key.to_owned(),
                private_key: private_key.to_owned(),
                projects: BTreeSet::new(),
                description: String::new(),
                roles: vec!["ORG_OWNER".to_owned()],
            },
        );
    }

    /// The key and private key behind a digest user name, if that key still exists.
    pub fn digest_credentials(&self, public_key: &str) -> Option<(&str, &ApiKey)> {
        let id = self.by_public_key.get(public_key)?;
        self.api_keys.get(id).map(|key| (id.as_str(), key))
    }

    /// `DELETE /api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}`: removes the key from the organization and
    /// unassigns it from every project.
    pub fn delete_org_key(&mut self, who: &Principal, org_id: &str, key_id: &str) -> Result<(), Refusal> {
        if !self.orgs.contains_key(org_id) {
            return Err(Refusal::OrgNotFound(org_id.to_owned()));
        }
        if !who.may_act_in(org_id) {
            return Err(Refusal::NotInOrg);
        }
        match self.api_keys.get(key_id) {
            Some(key) if key.org_id == org_id => {}
            _ => return Err(Refusal::ApiKeyNotFound(key_id.to_owned())),
        }
        if let Some(key) = self.api_keys.remove(key_id) {
            self.by_public_key.remove(&key.public_key);
        }
        // Its access list and anything else under it go with it.
        self.resources.remove_under(&format!("/api/atlas/v2/orgs/{org_id}/apiKeys/{key_id}"));
        Ok(())
    }

    /// `DELETE /api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}`: unassigns the key from one project.
    pub fn unassign_key(&mut self, who: &Principal, group_id: &str, key_id: &str) -> Result<(), Refusal> {
        let Some(org_id) = self.projects.get(group_id) else {
            return Err(Refusal::GroupNotFound(group_id.to_owned()));
        };
        if !who.may_act_in(org_id) {
            return Err(Refusal::NotInOrg);
        }
        let removed = self.api_keys.get_mut(key_id).is_some_and(|key| key.projects.remove(group_id));
        if removed { Ok(()) } else { Err(Refusal::ApiKeyNotFound(key_id.to_owned())) }
    }

    /// `DELETE /api/atlas/v1.0/users/{userId}/keys/{keyId}`: personal API keys are gone for good.
    pub fn delete_user_key(&self, _user_id: &str, _key_id: &str) -> Result<(), Refusal> {
        Err(Refusal::PersonalKeysDeprecated)
    }

    /// True when the organization holds the key.
    pub fn org_has_key(&self, org_id: &str, key_id: &str) -> bool {
        self.api_keys.get(key_id).is_some_and(|k| k.org_id == org_id)
    }

    /// True when the key is assigned to the project.
    pub fn is_assigned(&self, group_id: &str, key_id: &str) -> bool {
        self.api_keys.get(key_id).is_some_and(|k| k.projects.contains(group_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACME: &str = "64a1f0c2e4b0a1b2c3d4e5f6";
    const PROD: &str = "64a1f1d3e4b0a1b2c3d4e601";
    const STAGING: &str = "64a1f1d3e4b0a1b2c3d4e602";
    const DEPLOY_KEY: &str = "64a1f2e4e4b0a1b2c3d4e702";

    #[test]
    fn deleting_an_org_key_unassigns_it_everywhere_and_only_once() {
        let mut state = AtlasState::from_seed(&Seed::committed());
        assert!(state.is_assigned(PROD, DEPLOY_KEY) && state.is_assigned(STAGING, DEPLOY_KEY));
        state.delete_org_key(&Principal::Anonymous, ACME, DEPLOY_KEY).unwrap();
        assert!(!state.is_assigned(PROD, DEPLOY_KEY) && !state.is_assigned(STAGING, DEPLOY_KEY));
        assert!(state.digest_credentials("lkjpoiuy").is_none(), "a deleted key no longer authenticates");
        assert_eq!(
            state.delete_org_key(&Principal::Anonymous, ACME, DEPLOY_KEY),
            Err(Refusal::ApiKeyNotFound(DEPLOY_KEY.into()))
        );
    }

    #[test]
    fn keys_of_another_org_are_out_of_reach() {
        let mut state = AtlasState::from_seed(&Seed::committed());
        let globex = Principal::ApiKey { key_id: "x".into(), org_id: "64a1f0c2e4b0a1b2c3d4e5f7".into() };
        assert_eq!(state.delete_org_key(&globex, ACME, DEPLOY_KEY), Err(Refusal::NotInOrg));
        assert_eq!(state.unassign_key(&globex, PROD, DEPLOY_KEY), Err(Refusal::NotInOrg));
    }
}
