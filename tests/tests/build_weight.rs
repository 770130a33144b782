//! What a user's build of `atlas-admin` compiles, read from `cargo tree` (no build): the default TLS is
//! rustls with ring (no aws-lc C build), each TLS feature brings its own stack and nothing of the others,
//! and no crate comes in two versions but the one we cannot choose. BENCHMARKS.md section 6 has the times.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The crate names in atlas-admin's normal and build dependency graph with these cargo arguments.
fn crates(extra: &[&str]) -> BTreeSet<String> {
    let output = tree(&[&["-e", "normal,build", "--prefix", "none"], extra].concat());
    output.lines().filter_map(|line| line.split_whitespace().next()).map(str::to_owned).collect()
}

fn tree(args: &[&str]) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root())
        .args(["tree", "--quiet", "-p", "atlas-admin"])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn the_default_is_rustls_with_ring() {
    let default = crates(&[]);
    for wanted in ["rustls", "ring", "reqwest"] {
        assert!(default.contains(wanted), "{wanted} is missing: {default:?}");
    }
    for unwanted in ["aws-lc-rs", "aws-lc-sys", "cmake", "native-tls", "openssl", "openssl-sys"] {
        assert!(!default.contains(unwanted), "the default build compiles {unwanted}");
    }
    // The runtime's own dependencies hold no random-number or base64 crate (reqwest and http-auth bring
    // theirs, in other versions than the ones the runtime used to add).
    let direct = tree(&["-e", "normal", "--depth", "1", "--prefix", "none"]);
    for unwanted in ["rand ", "base64 "] {
        assert!(!direct.lines().any(|line| line.starts_with(unwanted)), "{unwanted}in {direct}");
    }
}

#[test]
fn each_tls_feature_brings_its_own_stack_only() {
    let aws_lc = crates(&["--no-default-features", "--features", "rustls-aws-lc"]);
    assert!(aws_lc.contains("aws-lc-rs") && !aws_lc.contains("ring") && !aws_lc.contains("native-tls"), "{aws_lc:?}");
    let native = crates(&["--no-default-features", "--features", "native-tls"]);
    assert!(native.contains("native-tls") && !native.contains("rustls") && !native.contains("aws-lc-rs"), "{native:?}");
    let none = crates(&["--no-default-features"]);
    assert!(!none.contains("rustls") && !none.contains("native-tls"), "{none:?}");
}

#[test]
fn only_syn_comes_in_two_versions() {
    let duplicates = tree(&["-d", "-e", "normal"]);
    let names: BTreeSet<&str> = duplicates
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    // syn 2 and 3: proc-macro dependencies of crates we do not choose (displaydoc under url's IDNA, serde's
    // and tokio's derives).
    assert_eq!(names, BTreeSet::from(["syn"]), "{duplicates}");
}
