//! Deletes one organization API key (or unassigns it from one project), printing the outcome like the Atlas
//! CLI does.
//!
//! Defaults point at the local Atlas (`cargo run -p atlas-admin-tests --bin mock-atlas`) and its seed:
//!
//! ```text
//! cargo run -p atlas-admin --example delete_key                       # deletes the seed's unused key
//! cargo run -p atlas-admin --example delete_key -- <KEY_ID> --orgId <ORG_ID>
//! cargo run -p atlas-admin --example delete_key -- <KEY_ID> --projectId <GROUP_ID>
//! ```
//!
//! Environment: `ATLAS_BASE_URL` (default `http://127.0.0.1:8080`), `ATLAS_PUBLIC_KEY` and
//! `ATLAS_PRIVATE_KEY` (digest credentials; default the local Atlas's seeded test key), or
//! `ATLAS_CLIENT_ID` and `ATLAS_CLIENT_SECRET` for a service account instead.

use std::process::ExitCode;

use atlas_admin::{ApiUserId, Client, Error, GroupId, OrgId};

/// The local Atlas's seed (tests/seed/atlas.json): test data, not real credentials.
const SEED_PUBLIC_KEY: &str = "qzvwmhxa";
const SEED_PRIVATE_KEY: &str = "9c3b1a7e-2d4f-4e8a-b6c5-0f1e2d3c4b5a";
const SEED_ORG: &str = "64a1f0c2e4b0a1b2c3d4e5f6";
const SEED_UNUSED_KEY: &str = "64a1f2e4e4b0a1b2c3d4e704";

enum Target {
    Org(OrgId),
    Project(GroupId),
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned())
}

fn parse_args() -> Result<(ApiUserId, Target), String> {
    let mut args = std::env::args().skip(1);
    let mut key = None;
    let mut target = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--orgId" => {
                let id = args.next().ok_or("--orgId needs a value")?;
                target = Some(Target::Org(id.parse().map_err(|e| format!("{e}"))?));
            }
            "--projectId" => {
                let id = args.next().ok_or("--projectId needs a value")?;
                target = Some(Target::Project(id.parse().map_err(|e| format!("{e}"))?));
            }
            other if other.starts_with('-') => return Err(format!("unknown flag {other}")),
            other => key = Some(other.parse().map_err(|e| format!("{e}"))?),
        }
    }
    let key = match key {
        Some(key) => key,
        None => SEED_UNUSED_KEY.parse().map_err(|e| format!("{e}"))?,
    };
    let target = match target {
        Some(target) => target,
        None => Target::Org(SEED_ORG.parse().map_err(|e| format!("{e}"))?),
    };
    Ok((key, target))
}

fn build_client() -> Result<Client, String> {
    let builder = Client::builder().base_url(env_or("ATLAS_BASE_URL", "http://127.0.0.1:8080"));
    let builder = match (std::env::var("ATLAS_CLIENT_ID"), std::env::var("ATLAS_CLIENT_SECRET")) {
        (Ok(id), Ok(secret)) => builder.service_account(id, secret),
        _ => builder
            .digest_auth(env_or("ATLAS_PUBLIC_KEY", SEED_PUBLIC_KEY), env_or("ATLAS_PRIVATE_KEY", SEED_PRIVATE_KEY)),
    };
    builder.build().map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    let (key, target) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("Error: {message}\nUsage: delete_key [<API_KEY_ID>] [--orgId <ORG_ID> | --projectId <GROUP_ID>]");
            return ExitCode::from(2);
        }
    };
    let client = match build_client() {
        Ok(client) => client,
        Err(message) => {
            eprintln!("Error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match &target {
        Target::Org(org) => client.delete_org_api_key(org, &key).send().await.map(|_| ()),
        Target::Project(group) => client.remove_group_api_key(group, &key).send().await.map(|_| ()),
    };
    match result {
        Ok(()) => {
            match target {
                Target::Org(_) => println!("API Key '{key}' deleted"),
                Target::Project(group) => println!("API Key '{key}' removed from project '{group}'"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            report(&error);
            ExitCode::FAILURE
        }
    }
}

fn report(error: &Error) {
    match error {
        Error::Api(answer) => {
            let detail = answer.body.detail.as_deref().unwrap_or_default();
            eprintln!(
                "Error: {} ({}): {detail}",
                answer.status,
                answer.body.error_code.as_deref().unwrap_or("no errorCode")
            );
            if error.is_already_gone() {
                eprintln!("The key is already gone.");
            }
        }
        other => eprintln!("Error: {other}"),
    }
}
