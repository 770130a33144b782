//! Rotates an organization API key: creates a new key, puts an address on its access list, checks that
//! the organization's keys (walked page by page) include it, and deletes the old key with the new one.
//!
//! ```text
//! cargo run -p key-rotation-client --example key_rotation                       # against a local Atlas
//! cargo run -p key-rotation-client --example key_rotation -- <ORG_ID> <OLD_KEY_ID> <ALLOWED_IP>
//! ```
//!
//! Without arguments it starts a local Atlas in this process (the seeded organization and admin key,
//! serving the spec this client was generated from) and rotates its admin key. With arguments it rotates
//! `OLD_KEY_ID` of `ORG_ID` on the Atlas the environment names (`ClientBuilder::from_env`: the credentials
//! of the key being rotated, and `MONGODB_ATLAS_BASE_URL` or `MONGODB_ATLAS_OPS_MANAGER_URL`), so the old
//! key's credentials stop working when it ends. The new private key is printed once: store it.

use std::process::ExitCode;

use key_rotation_client::types::{
    CreateAtlasOrganizationApiKey, CreateAtlasOrganizationApiKeyRolesItem, UserAccessListRequest,
};
use key_rotation_client::{ApiUserId, Client, Error, OrgId, PaginateExt, ResultExt};

async fn rotate(old_client: &Client, org: &OrgId, old: &ApiUserId, allowed_ip: &str) -> Result<(), Error> {
    let request = CreateAtlasOrganizationApiKey::new(
        "rotated key".into(),
        vec![CreateAtlasOrganizationApiKeyRolesItem::OrgOwner],
    );
    let created = old_client.create_org_api_key(org, request).send().await?.body;
    let id: ApiUserId = created.id.as_deref().unwrap_or_default().parse()?;
    let public_key = created.public_key.unwrap_or_default();
    let private_key = created.private_key.map(|secret| secret.expose().to_owned()).unwrap_or_default();
    println!("created key {id}: public key {public_key}, private key {private_key} (shown once: store it)");

    let mut entry = UserAccessListRequest::default();
    entry.ip_address = Some(allowed_ip.to_owned());
    old_client.create_org_api_key_access_list_entry(org, &id, vec![entry]).send().await?;
    println!("allowed {allowed_ip} for the new key");

    let new_client = Client::builder()
        .base_url(old_client.base_url().as_str())
        .digest_auth(&public_key, &private_key)
        .user_agent_suffix("key_rotation-example")
        .build()
        .expect("the same settings as the old client");
    let mut pages = new_client.list_org_api_keys(org).items_per_page(100).pages();
    let mut found = false;
    while let Some(page) = pages.next().await {
        let page = page?;
        println!("page {}: {} keys (of {:?})", page.number, page.items.len(), page.total_count);
        found |= page.items.iter().any(|key| key.id.as_deref() == Some(id.as_str()));
    }
    println!("the new key is {}listed", if found { "" } else { "NOT " });

    match new_client.delete_org_api_key(org, old).send().await.ignore_already_gone()? {
        Some(_) => println!("deleted the old key {old}"),
        None => println!("the old key {old} was already gone"),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.as_slice() {
        [] => {
            let config = local_atlas::Config::default()
                .with_spec(include_str!("../spec/key-rotation.yaml"))
                .expect("the spec reads");
            let atlas = local_atlas::LocalAtlas::start(config).await.expect("a local Atlas on loopback");
            println!("a local Atlas on {}", atlas.base_url());
            let client = Client::builder()
                .base_url(atlas.base_url())
                .digest_auth(local_atlas::known::ADMIN_PUBLIC_KEY, local_atlas::known::ADMIN_PRIVATE_KEY)
                .build()
                .expect("a loopback client");
            let org = local_atlas::known::ACME_ORG.parse().expect("an org id");
            let old = local_atlas::known::ADMIN_KEY.parse().expect("a key id");
            rotate(&client, &org, &old, "192.0.2.10").await
        }
        [org, old, allowed_ip] => {
            let ids = org.parse::<OrgId>().map_err(Error::from).and_then(|org| Ok((org, old.parse::<ApiUserId>()?)));
            let (org, old) = match ids {
                Ok(ids) => ids,
                Err(error) => return fail(&error),
            };
            let client = match Client::builder().from_env().map(|b| b.user_agent_suffix("key_rotation-example").build())
            {
                Ok(Ok(client)) => client,
                Ok(Err(error)) => return fail(&error),
                Err(error) => return fail(&error),
            };
            rotate(&client, &org, &old, allowed_ip).await
        }
        _ => {
            eprintln!("usage: key_rotation [<ORG_ID> <OLD_KEY_ID> <ALLOWED_IP>]");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("Error: {error}");
    ExitCode::FAILURE
}
