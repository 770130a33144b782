//! Stage 4: tokens to text with syn and prettyplease. No installed rustfmt is needed.

use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use crate::emit::{self, File};
use crate::plan::Plan;

/// Formats one file's tokens; tokens that do not parse are a generator bug, reported as an error.
pub(crate) fn format_file(name: &str, tokens: TokenStream) -> Result<String, String> {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(error) => Err(format!("generated {name} does not parse as Rust: {error} (a generator bug)")),
    }
}

/// Emits and formats every file, on as many threads as the machine has (formatting is most of
/// generation's time, and files are independent). The result does not depend on the number of threads.
pub(crate) fn emit_and_format(plan: &Plan) -> Vec<(String, Result<String, String>)> {
    let work: Vec<(String, File)> = emit::files(plan).into_iter().collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(work.len().max(1));
    let next = AtomicUsize::new(0);
    let work = &work;
    let next = &next;
    let mut results: Vec<(String, Result<String, String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some((name, file)) = work.get(index) else { break };
                        done.push((name.clone(), format_file(name, emit::emit(plan, *file))));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}
