//! Credentials and the base URL from the environment variables the profile names (for Atlas, the ones the
//! Atlas CLI and the Terraform provider read: `runtime::atlas`).
//!
//! Precedence, first complete pair wins: a service account (client id and secret), then an API key
//! (public and private key); each variable is a list of names, the first one set wins. An empty variable
//! counts as unset. Half a pair is an error even when the other pair is complete: a half-configured service
//! account is a mistake to report, not a reason to quietly use an API key. Errors name variables, never
//! their values.

use std::ffi::OsString;
use std::fmt;

use secrecy::SecretString;

use super::auth::Credentials;
use super::builder::ClientBuilder;
use super::profile::EnvNames;

/// Why no credentials could be read from the environment. Names variables, never values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvError {
    /// None of the variables is set.
    NothingSet {
        /// The variables looked for.
        names: &'static EnvNames,
    },
    /// One half of a pair is set and the other is not.
    Incomplete {
        /// The variable that is set.
        set: &'static str,
        /// The names the missing half may have (any one will do), first the preferred one.
        missing: &'static [&'static str],
    },
    /// A variable is set to something that is not Unicode.
    NotUnicode(&'static str),
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::NothingSet { names } => {
                let service = if names.service.is_empty() { String::new() } else { format!("{} ", names.service) };
                write!(f, "no {service}credentials in the environment: ")?;
                let mut pairs = Vec::new();
                if let (Some(id), Some(secret)) = (names.client_id.first(), names.client_secret.first()) {
                    pairs.push(format!("{id} and {secret} (a service account)"));
                }
                if let (Some(public), Some(private)) = (names.public_key.first(), names.private_key.first()) {
                    let others = match (names.public_key.get(1), names.private_key.get(1)) {
                        (Some(public), Some(private)) => format!("; {public} and {private} work too"),
                        _ => String::new(),
                    };
                    pairs.push(format!("{public} and {private} (an API key{others})"));
                }
                if pairs.is_empty() {
                    return f.write_str("the client's profile reads no variables");
                }
                write!(f, "set {}", pairs.join(", or "))
            }
            EnvError::Incomplete { set, missing } => {
                write!(f, "{set} is set but {} is not", missing.first().copied().unwrap_or("its other half"))?;
                if missing.len() > 1 {
                    write!(f, " (nor {})", missing[1..].join(", nor "))?;
                }
                Ok(())
            }
            EnvError::NotUnicode(name) => write!(f, "{name} is not valid Unicode"),
        }
    }
}

impl std::error::Error for EnvError {}

impl ClientBuilder {
    /// Takes credentials, and the base URL unless one was set, from the environment variables the
    /// profile names. For Atlas: `MONGODB_ATLAS_CLIENT_ID`/`MONGODB_ATLAS_CLIENT_SECRET` (a service account)
    /// first, else `MONGODB_ATLAS_PUBLIC_API_KEY`/`MONGODB_ATLAS_PRIVATE_API_KEY` (or
    /// `MONGODB_ATLAS_PUBLIC_KEY`/`MONGODB_ATLAS_PRIVATE_KEY`, an API key); the base URL from
    /// `MONGODB_ATLAS_OPS_MANAGER_URL` (the Atlas CLI's) or `MONGODB_ATLAS_BASE_URL` (the Terraform
    /// provider's).
    ///
    /// Fails, naming the variable and never a value, when no credentials are set or half a pair is. A base
    /// URL set on the builder before this call wins over the environment's; one set after it, too.
    ///
    /// ```no_run
    /// let client = atlas_admin::Client::builder().from_env()?.build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(
        clippy::wrong_self_convention,
        reason = "a builder step, read as `Client::builder().from_env()?`; it takes the builder on purpose"
    )]
    pub fn from_env(self) -> Result<Self, EnvError> {
        self.configured_from(|name| std::env::var_os(name))
    }

    /// [`ClientBuilder::from_env`] with the variables looked up by `lookup`.
    pub(crate) fn configured_from(mut self, lookup: impl Fn(&str) -> Option<OsString>) -> Result<Self, EnvError> {
        let names = self.profile.env;
        let read = |name: &'static str| -> Result<Option<String>, EnvError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) if value.is_empty() => Ok(None),
                Some(value) => value.into_string().map(Some).map_err(|_| EnvError::NotUnicode(name)),
            }
        };
        // The first of `names` that is set: its name and value.
        let first = |names: &'static [&'static str]| -> Result<Option<(&'static str, String)>, EnvError> {
            for name in names {
                if let Some(value) = read(name)? {
                    return Ok(Some((name, value)));
                }
            }
            Ok(None)
        };
        let client_id = first(names.client_id)?;
        let client_secret = first(names.client_secret)?;
        let public_key = first(names.public_key)?;
        let private_key = first(names.private_key)?;
        self.credentials = match (client_id, client_secret) {
            (Some((_, client_id)), Some((_, client_secret))) => {
                Credentials::ServiceAccount { client_id, client_secret: SecretString::from(client_secret) }
            }
            (Some((set, _)), None) => return Err(EnvError::Incomplete { set, missing: names.client_secret }),
            (None, Some((set, _))) => return Err(EnvError::Incomplete { set, missing: names.client_id }),
            (None, None) => match (public_key, private_key) {
                (Some((_, public_key)), Some((_, private_key))) => {
                    Credentials::Digest { public_key, private_key: SecretString::from(private_key) }
                }
                (Some((set, _)), None) => return Err(EnvError::Incomplete { set, missing: names.private_key }),
                (None, Some((set, _))) => return Err(EnvError::Incomplete { set, missing: names.public_key }),
                (None, None) => return Err(EnvError::NothingSet { names }),
            },
        };
        if self.base_url.is_none()
            && let Some((_, base_url)) = first(names.base_url)?
        {
            self.base_url = Some(base_url);
        }
        Ok(self)
    }
}
