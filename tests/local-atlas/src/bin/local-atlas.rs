//! Runs a local Atlas on loopback until interrupted: `cargo run -p local-atlas -- --help`.

use local_atlas::{COUNTERS_PATH, LocalAtlas, cli};

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
            eprintln!("local-atlas: {message}\n\n{}", cli::USAGE);
            std::process::exit(2);
        }
    };
    let atlas = match LocalAtlas::start(config).await {
        Ok(atlas) => atlas,
        Err(e) => {
            eprintln!("local-atlas: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    let config = atlas.config();
    let seed = &config.seed;
    println!("local Atlas listening on {}", atlas.base_url());
    println!("  auth: {:?}; digest algorithms: {:?}", config.auth, config.digest_algorithms);
    println!("  nonce lifetime: {:?}; rate limit: {:?}", config.nonce_lifetime, config.rate_limit);
    println!("  counters: {}{COUNTERS_PATH}", atlas.base_url());
    println!("  operations: {}", atlas.operation_ids().join(", "));
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
    if let (true, Some(org)) = (config.extra_org_keys > 0, seed.orgs.first()) {
        println!("  plus {} deletable keys ffff00000000000000000000.. in org {}", config.extra_org_keys, org.id);
    }
    let Some(admin) = seed.admin_key() else {
        std::future::pending::<()>().await;
        return;
    };
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
