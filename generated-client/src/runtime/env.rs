//! Credentials from the environment variables the Atlas CLI and the Terraform provider read.
//!
//! Precedence, first complete pair wins:
//! 1. `MONGODB_ATLAS_CLIENT_ID` + `MONGODB_ATLAS_CLIENT_SECRET`: a service account (what Atlas recommends).
//! 2. `MONGODB_ATLAS_PUBLIC_API_KEY` + `MONGODB_ATLAS_PRIVATE_API_KEY` (the Atlas CLI's names), each half
//!    falling back to `MONGODB_ATLAS_PUBLIC_KEY` / `MONGODB_ATLAS_PRIVATE_KEY` (the Terraform provider's):
//!    an API key over HTTP Digest.
//!
//! An empty variable counts as unset. Half a pair is an error even when the other pair is complete: a
//! half-configured service account is a mistake to report, not a reason to quietly use an API key.
//! Errors name variables, never their values.

use std::ffi::OsString;
use std::fmt;

use secrecy::SecretString;

use super::auth::Credentials;
use super::builder::ClientBuilder;

/// The service account's client id.
pub const CLIENT_ID_VAR: &str = "MONGODB_ATLAS_CLIENT_ID";
/// The service account's client secret.
pub const CLIENT_SECRET_VAR: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// The API key's public key (Atlas CLI name).
pub const PUBLIC_API_KEY_VAR: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
/// The API key's private key (Atlas CLI name).
pub const PRIVATE_API_KEY_VAR: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
/// The API key's public key (Terraform provider name).
pub const PUBLIC_KEY_VAR: &str = "MONGODB_ATLAS_PUBLIC_KEY";
/// The API key's private key (Terraform provider name).
pub const PRIVATE_KEY_VAR: &str = "MONGODB_ATLAS_PRIVATE_KEY";

/// Why no credentials could be read from the environment. Names variables, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvError {
    /// None of the supported variables is set.
    NothingSet,
    /// One half of a pair is set and the other is not.
    Incomplete {
        /// The variable that is set.
        set: &'static str,
        /// The variable that is missing (for API keys, the Atlas CLI name; the Terraform name works too).
        missing: &'static str,
    },
    /// A variable is set to something that is not Unicode.
    NotUnicode(&'static str),
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::NothingSet => write!(
                f,
                "no Atlas credentials in the environment: set {CLIENT_ID_VAR} and {CLIENT_SECRET_VAR} (a service \
                 account), or {PUBLIC_API_KEY_VAR} and {PRIVATE_API_KEY_VAR} (an API key; {PUBLIC_KEY_VAR} and \
                 {PRIVATE_KEY_VAR} work too)"
            ),
            EnvError::Incomplete { set, missing } => {
                write!(f, "{set} is set but {missing} is not")?;
                match *missing {
                    PUBLIC_API_KEY_VAR => write!(f, " (nor {PUBLIC_KEY_VAR})"),
                    PRIVATE_API_KEY_VAR => write!(f, " (nor {PRIVATE_KEY_VAR})"),
                    _ => Ok(()),
                }
            }
            EnvError::NotUnicode(name) => write!(f, "{name} is not valid Unicode"),
        }
    }
}

impl std::error::Error for EnvError {}

impl ClientBuilder {
    /// Takes credentials from the environment: `MONGODB_ATLAS_CLIENT_ID`/`MONGODB_ATLAS_CLIENT_SECRET` (a
    /// service account) first, else `MONGODB_ATLAS_PUBLIC_API_KEY`/`MONGODB_ATLAS_PRIVATE_API_KEY` (or
    /// `MONGODB_ATLAS_PUBLIC_KEY`/`MONGODB_ATLAS_PRIVATE_KEY`, an API key).
    ///
    /// Fails, naming the variable and never a value, when none is set or half a pair is.
    #[allow(
        clippy::wrong_self_convention,
        reason = "a builder step, read as `Client::builder().from_env()?`; it takes the builder on purpose"
    )]
    pub fn from_env(self) -> Result<Self, EnvError> {
        self.credentials_from(|name| std::env::var_os(name))
    }

    /// [`ClientBuilder::from_env`] with the variables looked up by `lookup`.
    pub(crate) fn credentials_from(mut self, lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, EnvError> {
        let read = |name: &'static str| -> Result<Option<String>, EnvError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) if value.is_empty() => Ok(None),
                Some(value) => value.into_string().map(Some).map_err(|_| EnvError::NotUnicode(name)),
            }
        };
        let either = |first: &'static str, second: &'static str| -> Result<Option<String>, EnvError> {
            Ok(read(first)?.or(read(second)?))
        };
        let client_id = read(CLIENT_ID_VAR)?;
        let client_secret = read(CLIENT_SECRET_VAR)?;
        let public_key = either(PUBLIC_API_KEY_VAR, PUBLIC_KEY_VAR)?;
        let private_key = either(PRIVATE_API_KEY_VAR, PRIVATE_KEY_VAR)?;
        self.credentials = match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) => {
                Credentials::ServiceAccount { client_id, client_secret: SecretString::from(client_secret) }
            }
            (Some(_), None) => return Err(EnvError::Incomplete { set: CLIENT_ID_VAR, missing: CLIENT_SECRET_VAR }),
            (None, Some(_)) => return Err(EnvError::Incomplete { set: CLIENT_SECRET_VAR, missing: CLIENT_ID_VAR }),
            (None, None) => match (public_key, private_key) {
                (Some(public_key), Some(private_key)) => {
                    Credentials::Digest { public_key, private_key: SecretString::from(private_key) }
                }
                (Some(_), None) => {
                    let set = if read(PUBLIC_API_KEY_VAR)?.is_some() { PUBLIC_API_KEY_VAR } else { PUBLIC_KEY_VAR };
                    return Err(EnvError::Incomplete { set, missing: PRIVATE_API_KEY_VAR });
                }
                (None, Some(_)) => {
                    let set = if read(PRIVATE_API_KEY_VAR)?.is_some() { PRIVATE_API_KEY_VAR } else { PRIVATE_KEY_VAR };
                    return Err(EnvError::Incomplete { set, missing: PUBLIC_API_KEY_VAR });
                }
                (None, None) => return Err(EnvError::NothingSet),
            },
        };
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SECRET: &str = "env-secret-value-0xdeadbeef";

    fn from(vars: &[(&str, &str)]) -> Result<ClientBuilder, EnvError> {
        let vars: HashMap<String, OsString> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).into())).collect();
        ClientBuilder::default().credentials_from(|name| vars.get(name).cloned())
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
            assert_eq!(error, EnvError::Incomplete { set, missing });
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
            assert_eq!(error, EnvError::NothingSet);
            let shown = error.to_string();
            for name in [CLIENT_ID_VAR, CLIENT_SECRET_VAR, PUBLIC_API_KEY_VAR, PRIVATE_API_KEY_VAR] {
                assert!(shown.contains(name), "{shown}");
            }
        }
    }
}
