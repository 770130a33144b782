//! `ClientBuilder::from_env` against the real process environment. A plain `main` (harness = false): it
//! starts a local Atlas, then runs itself as a child process once per environment (set with
//! `Command::env`, so this process never changes its own environment), and the child deletes a key with
//! the credentials it found. Each case checks the child's output and what the local Atlas saw.

use std::process::{Command, ExitCode};

use atlas_admin::{ApiUserId, Client, OrgId};
use local_atlas::known::*;
use local_atlas::{Config, LocalAtlas};

const CHILD_MARKER: &str = "ATLAS_ADMIN_FROM_ENV_CHILD";
const VARIABLES: [&str; 6] = [
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_PUBLIC_KEY",
    "MONGODB_ATLAS_PRIVATE_KEY",
];

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    if let Ok(base_url) = std::env::var(CHILD_MARKER) {
        return runtime.block_on(child(&base_url));
    }
    let atlas = runtime.block_on(LocalAtlas::start(Config::default())).expect("the local Atlas starts on loopback");
    let failures = parent(&atlas);
    if failures.is_empty() {
        println!("from_env: 6 environments behaved as documented");
        ExitCode::SUCCESS
    } else {
        eprintln!("from_env: {} failure(s):\n{}", failures.len(), failures.join("\n"));
        ExitCode::FAILURE
    }
}

/// Builds a client from the environment and deletes the key named by `DELETE_KEY`.
async fn child(base_url: &str) -> ExitCode {
    let builder = match Client::builder().base_url(base_url).from_env() {
        Ok(builder) => builder,
        Err(error) => {
            println!("env error: {error}");
            return ExitCode::from(3);
        }
    };
    let client = builder.build().expect("a loopback client");
    let org: OrgId = ACME_ORG.parse().unwrap();
    let key: ApiUserId = std::env::var("DELETE_KEY").unwrap().parse().unwrap();
    match client.delete_org_api_key(&org, &key).send().await {
        Ok(answer) => {
            println!("deleted {key}: {}", answer.status.as_u16());
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("call error: {error}");
            ExitCode::FAILURE
        }
    }
}

struct Case {
    name: &'static str,
    vars: Vec<(&'static str, &'static str)>,
    key: &'static str,
    /// What the child prints.
    expect: String,
    /// (tokens issued, digest requests accepted) after the case, counted from the start.
    seen: (u64, u64),
}

fn parent(atlas: &LocalAtlas) -> Vec<String> {
    let cases = [
        Case {
            name: "a service account comes first",
            vars: vec![
                ("MONGODB_ATLAS_CLIENT_ID", SA_CLIENT_ID),
                ("MONGODB_ATLAS_CLIENT_SECRET", SA_CLIENT_SECRET),
                ("MONGODB_ATLAS_PUBLIC_API_KEY", ADMIN_PUBLIC_KEY),
                ("MONGODB_ATLAS_PRIVATE_API_KEY", ADMIN_PRIVATE_KEY),
            ],
            key: UNUSED_KEY,
            expect: format!("deleted {UNUSED_KEY}: 204"),
            seen: (1, 0),
        },
        Case {
            name: "the Atlas CLI's API-key names",
            vars: vec![
                ("MONGODB_ATLAS_PUBLIC_API_KEY", ADMIN_PUBLIC_KEY),
                ("MONGODB_ATLAS_PRIVATE_API_KEY", ADMIN_PRIVATE_KEY),
            ],
            key: DEPLOY_KEY,
            expect: format!("deleted {DEPLOY_KEY}: 204"),
            seen: (1, 1),
        },
        Case {
            name: "the Terraform provider's API-key names",
            vars: vec![
                ("MONGODB_ATLAS_PUBLIC_KEY", ADMIN_PUBLIC_KEY),
                ("MONGODB_ATLAS_PRIVATE_KEY", ADMIN_PRIVATE_KEY),
            ],
            key: MONITORING_KEY,
            expect: format!("deleted {MONITORING_KEY}: 204"),
            seen: (1, 2),
        },
        Case {
            name: "half a service account",
            vars: vec![("MONGODB_ATLAS_CLIENT_SECRET", SA_CLIENT_SECRET)],
            key: UNUSED_KEY,
            expect: "env error: MONGODB_ATLAS_CLIENT_SECRET is set but MONGODB_ATLAS_CLIENT_ID is not".to_owned(),
            seen: (1, 2),
        },
        Case {
            name: "half an API key",
            vars: vec![("MONGODB_ATLAS_PUBLIC_API_KEY", ADMIN_PUBLIC_KEY)],
            key: UNUSED_KEY,
            expect: "env error: MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not (nor \
                     MONGODB_ATLAS_PRIVATE_KEY)"
                .to_owned(),
            seen: (1, 2),
        },
        Case {
            name: "nothing set",
            vars: vec![],
            key: UNUSED_KEY,
            expect: "env error: no Atlas credentials in the environment: set MONGODB_ATLAS_CLIENT_ID and".to_owned(),
            seen: (1, 2),
        },
    ];
    let mut failures = Vec::new();
    for case in cases {
        let mut command = Command::new(std::env::current_exe().expect("the test binary"));
        for name in VARIABLES {
            command.env_remove(name);
        }
        command.env(CHILD_MARKER, atlas.base_url()).env("DELETE_KEY", case.key).envs(case.vars.iter().copied());
        let output = command.output().expect("the child runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !stdout.starts_with(&case.expect) {
            failures.push(format!("{}: expected {:?}, got {stdout:?} (stderr {stderr:?})", case.name, case.expect));
        }
        for secret in [SA_CLIENT_SECRET, ADMIN_PRIVATE_KEY] {
            if stdout.contains(secret) || stderr.contains(secret) {
                failures.push(format!("{}: the output shows a secret", case.name));
            }
        }
        let counters = atlas.counters();
        if (counters.tokens_issued, counters.digest_accepted) != case.seen {
            failures.push(format!(
                "{}: the local Atlas saw {} token(s) and {} digest request(s), expected {:?}",
                case.name, counters.tokens_issued, counters.digest_accepted, case.seen
            ));
        }
    }
    failures
}
