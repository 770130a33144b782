//! Command-line flags of the `local-atlas` binary, turned into a [`Config`].

use std::time::Duration;

use super::config::{AuthMode, Config, DigestAlgorithm, NcReplay, RateLimit};
use super::seed::Seed;

/// The usage text.
pub const USAGE: &str = "\
local-atlas: a local MongoDB Atlas Administration API for tests (loopback only)

USAGE: cargo run -p local-atlas -- [FLAGS]

  --port N                  port on 127.0.0.1 (default 8080; 0 = any free port)
  --seed PATH               seed file (default: the committed tests/seed/atlas.json)
  --spec PATH               also serve every operation of this OpenAPI spec (YAML or JSON): the spec
                            your client was generated from, e.g. spec/atlas-admin.yaml
  --digest ALG[,ALG]        algorithms offered: md5, sha-256 (default md5)
  --nonce-lifetime SECS     digest nonce lifetime (default 300)
  --nc-replay stale|reject  answer to a repeated nonce count with a right password (default stale)
  --token-lifetime SECS     expires_in of service-account tokens (default 3600)
  --rate-limit CAP/REFILL/SECS   token bucket per operation, e.g. 10/5/60 (default off)
  --token-rate-limit CAP/REFILL/SECS   token bucket of /api/oauth/token (default off)
  --extra-keys N            add N deletable org keys to the first organization
  --no-auth                 accept requests without credentials
  -h, --help                this text
";

/// Parses the flags (without the program name). `Err` holds a message for the user.
pub fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config { port: 8080, ..Config::default() };
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => config.port = number(&value()?, flag)?,
            "--seed" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                config.seed = Seed::from_json(&text)?;
            }
            "--spec" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
                config = config.with_spec(&text).map_err(|e| format!("{path}: {e}"))?;
            }
            "--digest" => {
                config.digest_algorithms = value()?
                    .split(',')
                    .map(|name| {
                        DigestAlgorithm::parse(name.trim()).ok_or_else(|| format!("unknown algorithm {name:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--nonce-lifetime" => config.nonce_lifetime = Duration::from_secs(number(&value()?, flag)?),
            "--nc-replay" => {
                config.nc_replay = match value()?.as_str() {
                    "stale" => NcReplay::Stale,
                    "reject" => NcReplay::Reject,
                    other => return Err(format!("--nc-replay takes stale or reject, not {other:?}")),
                }
            }
            "--token-lifetime" => config.token_lifetime = Duration::from_secs(number(&value()?, flag)?),
            "--rate-limit" => config.rate_limit = Some(rate_limit(&value()?)?),
            "--token-rate-limit" => config.token_rate_limit = Some(rate_limit(&value()?)?),
            "--extra-keys" => config.extra_org_keys = number(&value()?, flag)?,
            "--no-auth" => config.auth = AuthMode::Disabled,
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    Ok(config)
}

fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{flag} takes a number, not {text:?}"))
}

fn rate_limit(text: &str) -> Result<RateLimit, String> {
    let parts: Vec<&str> = text.split('/').collect();
    let [capacity, refill, secs] = parts.as_slice() else {
        return Err(format!("a rate limit is CAPACITY/REFILL/SECONDS, not {text:?}"));
    };
    Ok(RateLimit {
        capacity: number(capacity, "capacity")?,
        refill: number(refill, "refill")?,
        period: Duration::from_secs(number(secs, "seconds")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn flags_become_a_config() {
        let config = parse(&args(
            "--port 0 --digest sha-256,md5 --nonce-lifetime 2 --rate-limit 10/5/60 --no-auth --extra-keys 3",
        ))
        .unwrap();
        assert_eq!(config.port, 0);
        assert_eq!(config.digest_algorithms, [DigestAlgorithm::Sha256, DigestAlgorithm::Md5]);
        assert_eq!(config.nonce_lifetime, Duration::from_secs(2));
        assert_eq!(config.rate_limit, Some(RateLimit { capacity: 10, refill: 5, period: Duration::from_secs(60) }));
        assert_eq!(config.auth, AuthMode::Disabled);
        assert_eq!(config.extra_org_keys, 3);
        assert_eq!(parse(&[]).unwrap().port, 8080);
    }

    #[test]
    fn bad_flags_are_explained() {
        assert!(parse(&args("--digest sha-1")).unwrap_err().contains("sha-1"));
        assert!(parse(&args("--rate-limit 10")).unwrap_err().contains("CAPACITY/REFILL/SECONDS"));
        assert!(parse(&args("--port")).unwrap_err().contains("needs a value"));
        assert!(parse(&args("--bogus")).unwrap_err().contains("--bogus"));
        assert!(parse(&args("--spec /nonexistent/spec.yaml")).unwrap_err().contains("cannot read"));
    }
}
