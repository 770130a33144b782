//! The seed: the organizations, projects, keys and accounts the local Atlas starts with.
//!
//! The committed seed is `seed/atlas.json` (in this crate); it is compiled in, so the local Atlas needs no
//! files at run time. Another file can be loaded with [`Seed::from_json`] (the binary's `--seed PATH`), and
//! a test can start from [`Seed::empty`] and add what it needs with `LocalAtlas::add_*`.

use serde::Deserialize;

/// The committed seed file, `seed/atlas.json`.
pub const DEFAULT_SEED_JSON: &str = include_str!("../seed/atlas.json");

/// Everything the local Atlas starts with.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Seed {
    /// Organizations.
    pub orgs: Vec<SeedOrg>,
    /// Projects (Atlas calls them groups in paths).
    pub projects: Vec<SeedProject>,
    /// Organization API keys; each doubles as digest credentials (public key : private key).
    pub api_keys: Vec<SeedApiKey>,
    /// Service accounts (OAuth 2.0 client credentials).
    #[serde(default)]
    pub service_accounts: Vec<SeedServiceAccount>,
    /// Users with legacy personal API keys.
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

/// One organization.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedOrg {
    /// 24 lowercase hex digits.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// One project.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedProject {
    /// 24 lowercase hex digits.
    pub id: String,
    /// The organization the project belongs to.
    pub org_id: String,
    /// Display name.
    pub name: String,
}

/// One organization API key.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedApiKey {
    /// The key's id (`apiUserId` in paths).
    pub id: String,
    /// The organization that owns the key.
    pub org_id: String,
    /// The digest user name.
    pub public_key: String,
    /// The digest password (test data only).
    pub private_key: String,
    /// What the key is for.
    #[serde(default)]
    pub description: String,
    /// Projects the key is assigned to.
    #[serde(default)]
    pub projects: Vec<String>,
}

/// One service account.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedServiceAccount {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret (test data only).
    pub client_secret: String,
    /// The organization the account acts in.
    pub org_id: String,
    /// What the account is for.
    #[serde(default)]
    pub description: String,
}

/// One user with legacy personal API keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedUser {
    /// The user's id.
    pub id: String,
    /// The user's login.
    #[serde(default)]
    pub username: String,
    /// Ids of the user's personal API keys (all of them answer 410 now).
    #[serde(default)]
    pub keys: Vec<String>,
}

/// True for 24 lowercase hex digits: the shape of every Atlas id.
pub fn is_id(text: &str) -> bool {
    text.len() == 24 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Seed {
    /// Parses a seed from JSON text and checks that it is consistent.
    pub fn from_json(text: &str) -> Result<Seed, String> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| format!("the seed is not valid JSON: {e}"))?;
        seed.validate()?;
        Ok(seed)
    }

    /// The committed seed (`seed/atlas.json`).
    pub fn committed() -> Seed {
        // The committed file is checked by a unit test, so this cannot fail at run time.
        Seed::from_json(DEFAULT_SEED_JSON).unwrap_or_else(|e| panic!("seed/atlas.json: {e}"))
    }

    /// Nothing at all: no organization, no key, no account. Add to it with `LocalAtlas::add_*`.
    pub fn empty() -> Seed {
        Seed {
            orgs: Vec::new(),
            projects: Vec::new(),
            api_keys: Vec::new(),
            service_accounts: Vec::new(),
            users: Vec::new(),
        }
    }

    /// The first API key of the first organization: the credentials tests and the example use by default.
    /// `None` for a seed without keys.
    pub fn admin_key(&self) -> Option<&SeedApiKey> {
        let org = &self.orgs.first()?.id;
        self.api_keys.iter().find(|k| &k.org_id == org).or(self.api_keys.first())
    }

    fn validate(&self) -> Result<(), String> {
        let org_known = |id: &str| self.orgs.iter().any(|o| o.id == id);
        if self.orgs.is_empty() || self.api_keys.is_empty() {
            return Err("the seed needs at least one organization and one API key".into());
        }
        for org in &self.orgs {
            if !is_id(&org.id) {
                return Err(format!("org id {:?} is not 24 lowercase hex digits", org.id));
            }
        }
        for project in &self.projects {
            if !is_id(&project.id) || !org_known(&project.org_id) {
                return Err(format!("project {:?}: bad id or unknown org", project.id));
            }
        }
        for key in &self.api_keys {
            if !is_id(&key.id) || !org_known(&key.org_id) {
                return Err(format!("API key {:?}: bad id or unknown org", key.id));
            }
            for project in &key.projects {
                if !self.projects.iter().any(|p| &p.id == project && p.org_id == key.org_id) {
                    return Err(format!("API key {:?}: project {project:?} is not in its org", key.id));
                }
            }
        }
        for account in &self.service_accounts {
            if !org_known(&account.org_id) {
                return Err(format!("service account {:?}: unknown org", account.client_id));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_seed_is_consistent() {
        let seed = Seed::from_json(DEFAULT_SEED_JSON).unwrap();
        assert_eq!(seed.admin_key().expect("an admin key").public_key, "qzvwmhxa");
        assert!(!seed.service_accounts.is_empty());
    }

    #[test]
    fn keys_in_foreign_projects_are_rejected() {
        let text = DEFAULT_SEED_JSON
            .replace(r#""projects": ["64a1f1d3e4b0a1b2c3d4e603"]"#, r#""projects": ["64a1f1d3e4b0a1b2c3d4e601"]"#);
        assert!(Seed::from_json(&text).unwrap_err().contains("is not in its org"));
    }
}
