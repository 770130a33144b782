//! Runs a local Atlas on loopback until interrupted: `cargo run -p atlas-admin-tests --bin mock-atlas -- --help`.

use atlas_admin_tests::mock_atlas::{MockAtlas, cli};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{}", cli::USAGE);
        return;
    }
    let config = match cli::parse(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("mock-atlas: {message}\n\n{}", cli::USAGE);
            std::process::exit(2);
        }
    };
    let atlas = match MockAtlas::start(config).await {
        Ok(atlas) => atlas,
        Err(e) => {
            eprintln!("mock-atlas: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    let config = atlas.config();
    let seed = &config.seed;
    println!("local Atlas listening on {}", atlas.base_url());
    println!("  auth: {:?}; digest algorithms: {:?}", config.auth, config.digest_algorithms);
    println!("  nonce lifetime: {:?}; rate limit: {:?}", config.nonce_lifetime, config.rate_limit);
    println!("  counters: {}/__mock/counters", atlas.base_url());
    println!("seeded credentials (test data, not real secrets):");
    for key in &seed.api_keys {
        println!(
            "  org {} API key {}: digest user {:?} password {:?}",
            key.org_id, key.id, key.public_key, key.private_key
        );
    }
    for account in &seed.service_accounts {
        println!(
            "  org {} service account: client id {:?} secret {:?}",
            account.org_id, account.client_id, account.client_secret
        );
    }
    if config.extra_org_keys > 0 {
        println!(
            "  plus {} deletable keys ffff00000000000000000000.. in org {}",
            config.extra_org_keys, seed.orgs[0].id
        );
    }
    let admin = seed.admin_key();
    if let Some(victim) = seed.api_keys.iter().find(|k| k.org_id == admin.org_id && k.id != admin.id) {
        println!(
            "try: curl --digest -u {}:{} -X DELETE {}/api/atlas/v2/orgs/{}/apiKeys/{}",
            admin.public_key,
            admin.private_key,
            atlas.base_url(),
            admin.org_id,
            victim.id
        );
    }
    // Requests are served by background tasks; this task only waits for the process to be stopped (Ctrl-C).
    std::future::pending::<()>().await;
}
