//! `ClientBuilder::from_env` against the real process environment, and the `delete_key` example that
//! relies on it. A plain `main` (harness = false): it starts a local Atlas, then runs itself as a child
//! process once per environment (set with `Command::env`, so this process never changes its own
//! environment); the child either deletes a key with the credentials it found, or runs the example's own
//! `main` (the example's file is mounted here). Each case checks the child's output and what the local Atlas
//! saw.

use std::process::{Command, ExitCode};

use atlas_admin::{ApiUserId, Client, OrgId};
use local_atlas::known::*;
use local_atlas::{Config, LocalAtlas};

#[path = "../examples/delete_key.rs"]
mod example;

const CHILD_MARKER: &str = "ATLAS_ADMIN_FROM_ENV_CHILD";
const EXAMPLE_MARKER: &str = "ATLAS_ADMIN_EXAMPLE_CHILD";
const VARIABLES: [&str; 6] = [
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_PUBLIC_KEY",
    "MONGODB_ATLAS_PRIVATE_KEY",
];

fn main() -> ExitCode {
    if std::env::var_os(EXAMPLE_MARKER).is_some() {
        return example::main();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    if let Ok(base_url) = std::env::var(CHILD_MARKER) {
        return runtime.block_on(child(&base_url));
    }
    let atlas = runtime.block_on(LocalAtlas::start(Config::default())).expect("the local Atlas starts on loopback");
    let mut failures = parent(&atlas);
    let atlas = runtime.block_on(LocalAtlas::start(Config::default())).expect("the local Atlas starts on loopback");
    failures.extend(the_example(&atlas));
    if failures.is_empty() {
        println!("from_env: 6 environments and 5 runs of the example behaved as documented");
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

/// A child running the example with `args` and the environment `vars` (nothing else of MONGODB_ATLAS_*).
fn run_example(atlas: &LocalAtlas, args: &[&str], vars: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    for name in VARIABLES {
        command.env_remove(name);
    }
    command.env(EXAMPLE_MARKER, "1").env("MONGODB_ATLAS_BASE_URL", atlas.base_url()).args(args);
    command.envs(vars.iter().copied());
    let output = command.output().expect("the example runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

fn the_example(atlas: &LocalAtlas) -> Vec<String> {
    let service_account =
        [("MONGODB_ATLAS_CLIENT_ID", SA_CLIENT_ID), ("MONGODB_ATLAS_CLIENT_SECRET", SA_CLIENT_SECRET)];
    let terraform_key =
        [("MONGODB_ATLAS_PUBLIC_KEY", ADMIN_PUBLIC_KEY), ("MONGODB_ATLAS_PRIVATE_KEY", ADMIN_PRIVATE_KEY)];
    let deleted = format!("API Key '{UNUSED_KEY}' deleted\n");
    let gone = format!("API Key '{UNUSED_KEY}' is already gone\n");
    let removed = format!("API Key '{MONITORING_KEY}' removed from project '{ACME_PROD}'\n");
    /// (what, arguments, environment, exit code, stdout, start of stderr).
    type ExampleCase<'a> = (&'a str, Vec<&'a str>, &'a [(&'a str, &'a str)], i32, &'a str, &'a str);
    let cases: [ExampleCase<'_>; 5] = [
        ("deletes with a service account", vec![UNUSED_KEY, "--orgId", ACME_ORG], &service_account, 0, &deleted, ""),
        ("a key already gone is success", vec![UNUSED_KEY, "--orgId", ACME_ORG], &service_account, 0, &gone, ""),
        ("unassigns with an API key", vec![MONITORING_KEY, "--projectId", ACME_PROD], &terraform_key, 0, &removed, ""),
        ("no credentials", vec![UNUSED_KEY, "--orgId", ACME_ORG], &[], 1, "", "Error: no Atlas credentials"),
        ("a malformed id", vec!["nope", "--orgId", ACME_ORG], &service_account, 2, "", "Error: invalid ApiUserId"),
    ];
    let mut failures = Vec::new();
    for (name, args, vars, code, stdout, stderr) in cases {
        let (got_code, got_stdout, got_stderr) = run_example(atlas, &args, vars);
        if got_code != Some(code) || got_stdout != stdout || !got_stderr.starts_with(stderr) {
            failures.push(format!(
                "example, {name}: expected exit {code}, {stdout:?}, stderr starting {stderr:?}; got {got_code:?}, \
                 {got_stdout:?}, {got_stderr:?}"
            ));
        }
        if [SA_CLIENT_SECRET, ADMIN_PRIVATE_KEY].iter().any(|s| got_stdout.contains(s) || got_stderr.contains(s)) {
            failures.push(format!("example, {name}: the output shows a secret"));
        }
    }
    let counters = atlas.counters();
    if !(counters.tokens_revoked == 2 && counters.org_keys_deleted == 1 && counters.keys_unassigned == 1) {
        failures.push(format!("example: the local Atlas saw {counters:#?}"));
    }
    failures
}
