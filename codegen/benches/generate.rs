//! How long generation takes, in process: the committed spec (what `cargo xtask regenerate` does, minus
//! file writes) and the whole upstream spec (540 operations). Run with `cargo bench -p codegen --bench
//! generate`; the figures in BENCHMARKS.md come from it (wall time) and from `farm-bench` (peak memory).

use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let spec = std::fs::read_to_string(root.join("spec/atlas-admin.yaml")).expect("spec/atlas-admin.yaml");
    let trimmed = measure(31, || {
        let generated = codegen::generate(&spec, "spec/atlas-admin.yaml").expect("the committed spec generates");
        assert_eq!(generated.operations.len(), 3);
    });
    println!("generate spec/atlas-admin.yaml: median {:.2} ms over 31 runs", trimmed.as_secs_f64() * 1e3);

    let upstream_path = root.join("../shared/upstream/atlas-admin-v2.yaml");
    let Ok(upstream) = std::fs::read_to_string(&upstream_path) else {
        println!("{} is not here; skipped the upstream measurements", upstream_path.display());
        return;
    };
    let read = measure(5, || {
        codegen::spec::Document::read(&upstream, "atlas-admin-v2.yaml").expect("reads");
    });
    println!("read the whole upstream spec: median {:.0} ms over 5 runs", read.as_secs_f64() * 1e3);
    let options = codegen::Options { features: true, ..codegen::Options::default() };
    let mut operations = 0;
    let whole = measure(5, || {
        let generated = codegen::generate_with(&upstream, "atlas-admin-v2.yaml", &options).expect("generates");
        operations = generated.operations.len();
    });
    println!(
        "generate the whole upstream spec ({operations} operations): median {:.0} ms over 5 runs",
        whole.as_secs_f64() * 1e3
    );
}
