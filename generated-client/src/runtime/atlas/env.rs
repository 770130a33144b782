//! The environment variables the Atlas CLI and the Terraform provider read, which
//! `ClientBuilder::from_env` reads too.

use super::super::profile::EnvNames;

/// The service account's client id.
pub const CLIENT_ID_VAR: &str = "MONGODB_ATLAS_CLIENT_ID";
/// The service account's client secret.
pub const CLIENT_SECRET_VAR: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// The API key's public key (Atlas CLI name).
pub const PUBLIC_API_KEY_VAR: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
/// The API key's private key (Atlas CLI name).
pub const PRIVATE_API_KEY_VAR: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
/// The API key's public key (older Terraform provider name).
pub const PUBLIC_KEY_VAR: &str = "MONGODB_ATLAS_PUBLIC_KEY";
/// The API key's private key (older Terraform provider name).
pub const PRIVATE_KEY_VAR: &str = "MONGODB_ATLAS_PRIVATE_KEY";
/// The base URL (Atlas CLI name; `https://cloud.mongodb.com/` by default, another for Atlas for
/// Government or a test server).
pub const OPS_MANAGER_URL_VAR: &str = "MONGODB_ATLAS_OPS_MANAGER_URL";
/// The base URL (Terraform provider name).
pub const BASE_URL_VAR: &str = "MONGODB_ATLAS_BASE_URL";

/// The names, in order of precedence.
pub(crate) const ATLAS_ENV: EnvNames = EnvNames {
    service: "Atlas",
    client_id: &[CLIENT_ID_VAR],
    client_secret: &[CLIENT_SECRET_VAR],
    public_key: &[PUBLIC_API_KEY_VAR, PUBLIC_KEY_VAR],
    private_key: &[PRIVATE_API_KEY_VAR, PRIVATE_KEY_VAR],
    base_url: &[OPS_MANAGER_URL_VAR, BASE_URL_VAR],
};

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::ffi::OsString;

    use super::super::super::{ClientBuilder, EnvError};
    use super::*;

    const SECRET: &str = "env-secret-value-0xdeadbeef";

    fn from(vars: &[(&str, &str)]) -> Result<ClientBuilder, EnvError> {
        let vars: HashMap<String, OsString> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).into())).collect();
        ClientBuilder::default().configured_from(|name| vars.get(name).cloned())
    }

    fn credentials(vars: &[(&str, &str)]) -> String {
        format!("{:?}", from(vars).expect("credentials").credentials)
    }

    #[test]
    fn a_service_account_comes_first() {
        let shown = credentials(&[
            (CLIENT_ID_VAR, "mdb_sa_id_1"),
            (CLIENT_SECRET_VAR, SECRET),
            (PUBLIC_API_KEY_VAR, "pub"),
            (PRIVATE_API_KEY_VAR, SECRET),
        ]);
        assert!(shown.starts_with("ServiceAccount") && shown.contains("mdb_sa_id_1"), "{shown}");
    }

    #[test]
    fn both_api_key_spellings_work_and_the_cli_names_win() {
        let cli = credentials(&[(PUBLIC_API_KEY_VAR, "cli-pub"), (PRIVATE_API_KEY_VAR, SECRET)]);
        assert!(cli.starts_with("Digest") && cli.contains("cli-pub"), "{cli}");
        let terraform = credentials(&[(PUBLIC_KEY_VAR, "tf-pub"), (PRIVATE_KEY_VAR, SECRET)]);
        assert!(terraform.contains("tf-pub"), "{terraform}");
        let mixed =
            credentials(&[(PUBLIC_API_KEY_VAR, "cli-pub"), (PUBLIC_KEY_VAR, "tf-pub"), (PRIVATE_KEY_VAR, SECRET)]);
        assert!(mixed.contains("cli-pub") && !mixed.contains("tf-pub"), "{mixed}");
    }

    #[test]
    fn the_base_url_comes_from_the_cli_or_terraform_variable_unless_set() {
        let key = [(PUBLIC_API_KEY_VAR, "p"), (PRIVATE_API_KEY_VAR, SECRET)];
        let with = |extra: &[(&'static str, &'static str)]| {
            let vars: Vec<(&str, &str)> = key.iter().chain(extra).copied().collect();
            from(&vars).unwrap().base_url
        };
        assert_eq!(with(&[]), None, "the profile's default then");
        assert_eq!(with(&[(BASE_URL_VAR, "http://127.0.0.1:1")]).as_deref(), Some("http://127.0.0.1:1"));
        let both = with(&[(BASE_URL_VAR, "http://127.0.0.1:1"), (OPS_MANAGER_URL_VAR, "http://127.0.0.1:2")]);
        assert_eq!(both.as_deref(), Some("http://127.0.0.1:2"), "the Atlas CLI's name wins");
        let vars: HashMap<String, OsString> = key
            .iter()
            .chain(&[(BASE_URL_VAR, "http://127.0.0.1:1")])
            .map(|(k, v)| ((*k).to_owned(), (*v).into()))
            .collect();
        let explicit =
            ClientBuilder::default().base_url("http://127.0.0.1:3").configured_from(|n| vars.get(n).cloned());
        assert_eq!(explicit.unwrap().base_url.as_deref(), Some("http://127.0.0.1:3"), "an explicit one wins");
    }

    #[test]
    fn a_missing_half_is_named_and_no_value_is_shown() {
        for (vars, set, missing) in [
            (vec![(CLIENT_ID_VAR, "id")], CLIENT_ID_VAR, CLIENT_SECRET_VAR),
            (vec![(CLIENT_SECRET_VAR, SECRET)], CLIENT_SECRET_VAR, CLIENT_ID_VAR),
            (
                vec![(CLIENT_SECRET_VAR, SECRET), (PUBLIC_API_KEY_VAR, "p"), (PRIVATE_API_KEY_VAR, SECRET)],
                CLIENT_SECRET_VAR,
                CLIENT_ID_VAR,
            ),
            (vec![(PUBLIC_KEY_VAR, "p")], PUBLIC_KEY_VAR, PRIVATE_API_KEY_VAR),
            (vec![(PRIVATE_API_KEY_VAR, SECRET)], PRIVATE_API_KEY_VAR, PUBLIC_API_KEY_VAR),
        ] {
            let error = from(&vars).expect_err("half a pair");
            let EnvError::Incomplete { set: was_set, missing: names } = &error else { panic!("{error:?}") };
            assert_eq!((*was_set, names[0]), (set, missing));
            let shown = format!("{error} {error:?}");
            assert!(shown.contains(set) && shown.contains(missing), "{shown}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
        assert_eq!(
            from(&[(PRIVATE_KEY_VAR, SECRET)]).unwrap_err().to_string(),
            "MONGODB_ATLAS_PRIVATE_KEY is set but MONGODB_ATLAS_PUBLIC_API_KEY is not (nor MONGODB_ATLAS_PUBLIC_KEY)"
        );
    }

    #[test]
    fn nothing_or_only_empty_values_is_an_error_that_lists_the_variables() {
        for vars in [vec![], vec![(CLIENT_ID_VAR, ""), (PUBLIC_API_KEY_VAR, "")]] {
            let error = from(&vars).expect_err("nothing set");
            assert!(matches!(error, EnvError::NothingSet { .. }), "{error:?}");
            let shown = error.to_string();
            for name in [CLIENT_ID_VAR, CLIENT_SECRET_VAR, PUBLIC_API_KEY_VAR, PRIVATE_API_KEY_VAR] {
                assert!(shown.contains(name), "{shown}");
            }
        }
    }
}
