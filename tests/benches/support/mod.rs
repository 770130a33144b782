//! Shared by the bench targets: a local Atlas on its own runtime, so the client under measurement does
//! not share worker threads with the server.

// Each bench target compiles this module and uses only some of it.
#![allow(dead_code)]

use std::time::Duration;

use local_atlas::{Config, LocalAtlas};
use tokio::runtime::Runtime;

/// A local Atlas served by a one-thread runtime of its own. Keep both alive while measuring.
pub(crate) fn server_on_own_runtime(config: Config) -> (LocalAtlas, Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("local-atlas")
        .enable_all()
        .build()
        .expect("a runtime for the server");
    let atlas = runtime.block_on(LocalAtlas::start(config)).expect("the local Atlas must start on loopback");
    (atlas, runtime)
}

/// A runtime for the client side.
pub(crate) fn client_runtime(threads: usize) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("a runtime for the client")
}

/// The median of a set of durations (sorted in place).
pub(crate) fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// A percentile (0..=100) of sorted durations.
pub(crate) fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() - 1) * p / 100]
}
