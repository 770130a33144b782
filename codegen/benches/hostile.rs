//! How generation time grows with hostile specs built by the structural generator (`tests/hostile`): each
//! shape at a size and at twice it, with the time of each and their ratio (about 2 for linear work, 4 for
//! quadratic). `cargo bench -p codegen --bench hostile` prints every shape; `cargo bench -p codegen --bench
//! hostile -- WORD` only the shapes whose label contains WORD. Figures in BENCHMARKS.md come from it.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::time::{Duration, Instant};

use hostile::{Part, Sibling, Via, spec};

/// A shape, at size n.
type Shape = Box<dyn Fn(usize) -> Vec<Part>>;

/// Generates `parts` and says how long it took and what came of it.
fn run(parts: &[Part]) -> (usize, Duration, String) {
    let text = spec(parts);
    let started = Instant::now();
    let outcome = match codegen::generate(&text, "hostile.json") {
        Ok(generated) => format!("{} bytes of source", generated.files.values().map(String::len).sum::<usize>()),
        Err(diagnostics) => {
            let first = diagnostics.items.first().map(|item| item.message.chars().take(70).collect::<String>());
            format!("{} located errors: {}", diagnostics.items.len(), first.unwrap_or_default())
        }
    };
    (text.len(), started.elapsed(), outcome)
}

fn main() {
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-')).unwrap_or_default();
    let mut shapes: Vec<(String, Shape)> = Vec::new();
    for via in Via::ALL {
        shapes
            .push((format!("chain of {via:?}"), Box::new(move |n| vec![Part::Chain { via, length: n, cycle: false }])));
    }
    for kind in Sibling::ALL {
        shapes.push((format!("siblings: {kind:?}"), Box::new(move |n| vec![Part::Siblings { kind, count: n }])));
    }
    shapes.push(("fanout n x n".to_owned(), Box::new(|n| vec![Part::Fanout { fields: n, width: n }])));
    shapes.push(("tags n x n".to_owned(), Box::new(|n| vec![Part::Tags { operations: n, shared: n }])));
    shapes.push(("enum fanout n x n".to_owned(), Box::new(|n| vec![Part::EnumFanout { fields: n, width: n }])));
    shapes.push(("inheritance n x 2".to_owned(), Box::new(|n| vec![Part::Inheritance { depth: n / 4, width: 2 }])));
    println!(
        "{:<34} {:>7} {:>10} {:>9} {:>10} {:>9} {:>6}  outcome at 2n",
        "shape", "n", "bytes", "time", "bytes 2n", "time 2n", "ratio"
    );
    for (label, parts) in &shapes {
        if !label.contains(&filter) {
            continue;
        }
        let n = 4000;
        let (bytes, took, _) = run(&parts(n));
        let (bytes2, took2, outcome) = run(&parts(2 * n));
        let ratio = took2.as_secs_f64() / took.as_secs_f64().max(1e-6);
        println!(
            "{label:<34} {n:>7} {bytes:>10} {:>8.3}s {bytes2:>10} {:>8.3}s {ratio:>6.2}  {outcome}",
            took.as_secs_f64(),
            took2.as_secs_f64()
        );
    }
}
