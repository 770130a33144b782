//! How long generation takes: the committed spec (what `cargo xtask regenerate` does, minus file writes),
//! and the whole upstream spec up to its located errors. Run with `cargo bench -p codegen --bench generate`.

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
    match std::fs::read_to_string(&upstream_path) {
        Ok(upstream) => {
            let mut errors = 0;
            let whole = measure(5, || {
                errors = codegen::generate(&upstream, "atlas-admin-v2.yaml").err().map_or(0, |d| d.items.len());
            });
            println!(
                "generate the whole upstream spec (to its {errors} located errors): median {:.0} ms over 5 runs",
                whole.as_secs_f64() * 1e3
            );
        }
        Err(_) => println!("{} is not here; skipped the upstream measurement", upstream_path.display()),
    }
}
