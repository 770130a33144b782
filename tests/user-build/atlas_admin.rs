//! The smallest program using atlas-admin: one delete with digest auth. Its dependencies are the README's
//! install lines; `tests/benches/user_build_cost.rs` builds it cold next to `by_hand.rs`, the same call
//! written by hand on the same stack, and runs both against a local Atlas.

use atlas_admin::{ApiUserId, Client, OrgId, ResultExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, public_key, private_key, org, key] = &args[..] else {
        return Err("usage: BASE_URL PUBLIC_KEY PRIVATE_KEY ORG_ID API_KEY_ID".into());
    };
    let client = Client::builder().base_url(base_url).digest_auth(public_key, private_key).build()?;
    let org: OrgId = org.parse()?;
    let key: ApiUserId = key.parse()?;
    match client.delete_org_api_key(&org, &key).send().await.ignore_already_gone()? {
        Some(answer) => println!("deleted ({})", answer.status),
        None => println!("already gone"),
    }
    Ok(())
}
