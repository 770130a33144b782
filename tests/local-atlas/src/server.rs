//! The HTTP/1.1 server: binds loopback, accepts connections, hands each request to [`super::routes`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::config::{ATLAS_REALM, Config, extra_key_id};
use super::counters::CounterSet;
use super::digest::{DigestAuthority, DigestPolicy, NcOrder};
use super::oauth::TokenAuthority;
use super::operations::Operation;
use super::rate_limit::TokenBucket;
use super::routes;
use super::state::AtlasState;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) state: Mutex<AtlasState>,
    pub(crate) digest: DigestAuthority,
    pub(crate) tokens: TokenAuthority,
    pub(crate) buckets: BTreeMap<Operation, TokenBucket>,
    pub(crate) token_bucket: Option<TokenBucket>,
    pub(crate) counters: CounterSet,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Shared {
        let mut state = AtlasState::from_seed(&config.seed);
        if let Some(first_org) = config.seed.orgs.first() {
            for index in 0..config.extra_org_keys {
                let id = extra_key_id(index);
                state.insert_key(&id, &first_org.id, &format!("extra{index}"), &format!("extra-secret-{index}"));
            }
        }
        let buckets = match config.rate_limit {
            Some(limit) => Operation::ALL.iter().map(|op| (*op, TokenBucket::new(limit))).collect(),
            None => BTreeMap::new(),
        };
        Shared {
            digest: DigestAuthority::new(DigestPolicy {
                realm: ATLAS_REALM.to_owned(),
                algorithms: config.digest_algorithms.clone(),
                nonce_lifetime: config.nonce_lifetime,
                nonce_max_uses: None,
                nc_order: NcOrder::Increasing,
                nc_replay: config.nc_replay,
                qop: true,
            }),
            tokens: TokenAuthority::new(config.token_lifetime),
            token_bucket: config.token_rate_limit.map(TokenBucket::new),
            buckets,
            state: Mutex::new(state),
            counters: CounterSet::default(),
            config,
        }
    }
}

/// Binds `127.0.0.1:port` and serves until the returned task is aborted (which also ends every connection).
pub(crate) async fn serve(shared: Arc<Shared>, port: u16) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        // Connections live in this set, so aborting the accept task drops and aborts them all.
        let mut connections = JoinSet::new();
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            };
            let Ok((stream, _)) = accepted else { continue };
            let _ = stream.set_nodelay(true);
            let shared = shared.clone();
            connections.spawn(async move {
                let service = service_fn(move |request| {
                    let shared = shared.clone();
                    async move { Ok::<_, std::convert::Infallible>(routes::handle(shared, request).await) }
                });
                let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Ok((addr, task))
}
