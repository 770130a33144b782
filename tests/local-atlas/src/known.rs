//! The ids and credentials of the committed seed (`tests/seed/atlas.json`), named for tests and examples.
//!
//! They are test data: no Atlas anywhere knows them.

/// The Acme organization: holds the admin key, the service account and the keys tests delete.
pub const ACME_ORG: &str = "64a1f0c2e4b0a1b2c3d4e5f6";
/// The Globex organization.
pub const GLOBEX_ORG: &str = "64a1f0c2e4b0a1b2c3d4e5f7";
/// Acme's `acme-prod` project.
pub const ACME_PROD: &str = "64a1f1d3e4b0a1b2c3d4e601";
/// Acme's `acme-staging` project.
pub const ACME_STAGING: &str = "64a1f1d3e4b0a1b2c3d4e602";
/// Globex's `globex-dev` project.
pub const GLOBEX_DEV: &str = "64a1f1d3e4b0a1b2c3d4e603";
/// A well-formed group id that no seed holds (the id of the live GROUP_NOT_FOUND example).
pub const MISSING_GROUP: &str = "5953c5f380eef53887615f9a";
/// A well-formed org id that no seed holds.
pub const MISSING_ORG: &str = "5953c5f380eef53887615f9b";

/// The Acme owner key: the credentials tests authenticate with.
pub const ADMIN_KEY: &str = "64a1f2e4e4b0a1b2c3d4e701";
/// The Acme owner key's public key (digest user name).
pub const ADMIN_PUBLIC_KEY: &str = "qzvwmhxa";
/// The Acme owner key's private key (digest password).
pub const ADMIN_PRIVATE_KEY: &str = "9c3b1a7e-2d4f-4e8a-b6c5-0f1e2d3c4b5a";
/// A key assigned to both Acme projects.
pub const DEPLOY_KEY: &str = "64a1f2e4e4b0a1b2c3d4e702";
/// A key assigned to `acme-prod`.
pub const MONITORING_KEY: &str = "64a1f2e4e4b0a1b2c3d4e703";
/// A key in no project.
pub const UNUSED_KEY: &str = "64a1f2e4e4b0a1b2c3d4e704";
/// The Globex owner key.
pub const GLOBEX_KEY: &str = "64a1f2e4e4b0a1b2c3d4e705";

/// The service account's client id.
pub const SA_CLIENT_ID: &str = "mdb_sa_id_64a1f3f5e4b0a1b2c3d4e801";
/// The service account's client secret.
pub const SA_CLIENT_SECRET: &str = "mdb_sa_sk_local0atlas0test0secret0not0real";

/// The user with a (legacy) personal API key.
pub const USER_ID: &str = "64a1f4a6e4b0a1b2c3d4e901";
/// That user's personal API key.
pub const USER_KEY: &str = "64a1f4a6e4b0a1b2c3d4e9a1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Seed;

    #[test]
    fn names_match_the_committed_seed() {
        let seed = Seed::committed();
        let admin = seed.admin_key().expect("an admin key");
        assert_eq!((admin.id.as_str(), admin.org_id.as_str()), (ADMIN_KEY, ACME_ORG));
        assert_eq!((admin.public_key.as_str(), admin.private_key.as_str()), (ADMIN_PUBLIC_KEY, ADMIN_PRIVATE_KEY));
        let deploy = seed.api_keys.iter().find(|k| k.id == DEPLOY_KEY).unwrap();
        assert_eq!(deploy.projects, [ACME_PROD, ACME_STAGING]);
        let monitoring = seed.api_keys.iter().find(|k| k.id == MONITORING_KEY).unwrap();
        assert_eq!(monitoring.projects, [ACME_PROD]);
        assert!(seed.api_keys.iter().any(|k| k.id == UNUSED_KEY && k.projects.is_empty()));
        assert!(seed.api_keys.iter().any(|k| k.id == GLOBEX_KEY && k.org_id == GLOBEX_ORG));
        assert!(seed.projects.iter().any(|p| p.id == GLOBEX_DEV && p.org_id == GLOBEX_ORG));
        assert!(!seed.projects.iter().any(|p| p.id == MISSING_GROUP));
        assert!(!seed.orgs.iter().any(|o| o.id == MISSING_ORG));
        let account = &seed.service_accounts[0];
        assert_eq!((account.client_id.as_str(), account.client_secret.as_str()), (SA_CLIENT_ID, SA_CLIENT_SECRET));
        assert_eq!((seed.users[0].id.as_str(), seed.users[0].keys[0].as_str()), (USER_ID, USER_KEY));
    }
}
