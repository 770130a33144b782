//! Deletes one organization API key (or unassigns it from one project), printing the outcome like the Atlas
//! CLI does. A key that is already gone counts as success: that is what a retried delete can find.
//!
//! Credentials come from the environment, as the Atlas CLI and the Terraform provider read them
//! (`ClientBuilder::from_env`): `MONGODB_ATLAS_CLIENT_ID` and `MONGODB_ATLAS_CLIENT_SECRET` (a service
//! account), or `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY` (an API key;
//! `MONGODB_ATLAS_PUBLIC_KEY` and `MONGODB_ATLAS_PRIVATE_KEY` work too). `MONGODB_ATLAS_OPS_MANAGER_URL` (the
//! Atlas CLI's) or `MONGODB_ATLAS_BASE_URL` (the Terraform provider's) says where (default
//! `https://cloud.mongodb.com`).
//!
//! ```text
//! cargo run -p atlas-admin --example delete_key -- <KEY_ID> --orgId <ORG_ID>
//! cargo run -p atlas-admin --example delete_key -- <KEY_ID> --projectId <GROUP_ID>
//! ```

use std::process::ExitCode;

use atlas_admin::{ApiUserId, Client, GroupId, OrgId, ResultExt};

enum Target {
    Org(OrgId),
    Project(GroupId),
}

const USAGE: &str = "Usage: delete_key <API_KEY_ID> (--orgId <ORG_ID> | --projectId <GROUP_ID>)";

fn parse_args() -> Result<(ApiUserId, Target), String> {
    let mut args = std::env::args().skip(1);
    let (mut key, mut target) = (None, None);
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
    Ok((key.ok_or("which key? the API key id is missing")?, target.ok_or("--orgId or --projectId is missing")?))
}

fn build_client() -> Result<Client, String> {
    // Credentials and the base URL, as the Atlas CLI and the Terraform provider read them.
    let builder = Client::builder().from_env().map_err(|e| e.to_string())?;
    builder.user_agent_suffix("delete_key-example").build().map_err(|e| e.to_string())
}

// `pub(crate)` only so that tests/from_env.rs can run this very `main` with the environment it sets.
#[tokio::main]
pub(crate) async fn main() -> ExitCode {
    let (key, target) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("Error: {message}\n{USAGE}");
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
        Target::Org(org) => client.delete_org_api_key(org, &key).send().await.map(drop),
        Target::Project(group) => client.remove_group_api_key(group, &key).send().await.map(drop),
    };
    // Revoking the token (for a service account) is good manners; a failure to do so changes nothing here.
    let outcome = result.ignore_already_gone();
    let _ = client.revoke_token().await;
    match (outcome, target) {
        (Ok(Some(())), Target::Org(_)) => println!("API Key '{key}' deleted"),
        (Ok(Some(())), Target::Project(group)) => println!("API Key '{key}' removed from project '{group}'"),
        (Ok(None), _) => println!("API Key '{key}' is already gone"),
        (Err(error), _) => {
            // The message names the request, the status, the service's errorCode and its detail.
            eprintln!("Error: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
