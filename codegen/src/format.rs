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
/// generation's time, and files are independent). The heaviest files are handed out first, so no thread is
/// left with a large file at the end while the others idle. The result does not depend on the number of
/// threads or the order.
pub(crate) fn emit_and_format(plan: &Plan) -> Vec<(String, Result<String, String>)> {
    let mut work: Vec<(String, File)> = emit::files(plan).into_iter().collect();
    work.sort_by_cached_key(|(name, file)| (std::cmp::Reverse(weight(plan, *file)), name.clone()));
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

/// About how much source a file is: its items, counted by their members.
fn weight(plan: &Plan, file: File) -> usize {
    use crate::plan::TypeKind;
    match file {
        File::Types(home) => plan
            .types
            .iter()
            .filter(|def| def.home == home)
            .map(|def| match &def.kind {
                TypeKind::Struct { fields, .. } => 2 + fields.len(),
                TypeKind::Enum { variants, .. } => 2 + variants.len() / 2,
                TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => 4 + variants.len(),
                TypeKind::Newtype(_) | TypeKind::Alias(_) => 1,
            })
            .sum(),
        // An operation is a method, a builder with its setters, a decoder and a request function.
        File::Operations(index) => plan
            .operations
            .iter()
            .filter(|op| op.module == index)
            .map(|op| 12 + 2 * (op.args.len() + op.options.len()))
            .sum(),
        File::Ids => plan.ids.len(),
        File::Root | File::TypesIndex | File::OperationsIndex => 1,
    }
}
