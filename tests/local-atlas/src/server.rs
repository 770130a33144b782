//! The HTTP/1.1 server: binds loopback, accepts connections, hands each request to [`super::routes`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use super::script::Script;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use super::config::{ATLAS_REALM, Config, extra_key_id};
use super::counters::CounterSet;
use super::digest::{DigestAuthority, DigestPolicy, NcOrder};
use super::oauth::TokenAuthority;
use super::rate_limit::TokenBucket;
use super::routes;
use super::state::AtlasState;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) state: Mutex<AtlasState>,
    pub(crate) digest: DigestAuthority,
    pub(crate) tokens: TokenAuthority,
    /// One token bucket per operation (by operationId), made on first use when a rate limit is set.
    pub(crate) buckets: Mutex<BTreeMap<String, Arc<TokenBucket>>>,
    pub(crate) token_bucket: Option<TokenBucket>,
    pub(crate) counters: CounterSet,
    pub(crate) script: Mutex<Script>,
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
            buckets: Mutex::new(BTreeMap::new()),
            state: Mutex::new(state),
            counters: CounterSet::default(),
            script: Mutex::new(Script::default()),
            config,
        }
    }
}

impl Shared {
    /// The token bucket of an operation, when a rate limit is configured.
    pub(crate) fn bucket(&self, operation_id: &str) -> Option<Arc<TokenBucket>> {
        let limit = self.config.rate_limit?;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        Some(buckets.entry(operation_id.to_owned()).or_insert_with(|| Arc::new(TokenBucket::new(limit))).clone())
    }

    /// The state, locked.
    pub(crate) fn state(&self) -> std::sync::MutexGuard<'_, AtlasState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
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
