//! What a user's build of `atlas-admin` compiles, read from `cargo tree` (no build): the default TLS is
//! rustls with ring (no aws-lc C build), each TLS feature brings its own stack and nothing of the others,
//! the library turns on no dependency feature it does not use, and no crate comes in two versions.
//! BENCHMARKS.md sections 6 and 9 have the times.

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
fn no_crate_comes_in_two_versions() {
    let duplicates = tree(&["-d", "-e", "normal"]);
    let names: BTreeSet<&str> = duplicates
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(names.is_empty(), "{duplicates}");
}

/// The library turns on what it uses and nothing for its user: no `regex` (ids are checked by the
/// runtime's `IdPattern`), no `#[instrument]` macro (`tracing-attributes`, which built syn 2), and of
/// tokio no runtime flavour or macros (`time` and `sync` are its own; `rt`, `net`, `io-util` come with
/// reqwest). The user's program chooses `rt-multi-thread` and `macros`.
#[test]
fn the_library_turns_on_only_what_it_uses() {
    let default = crates(&[]);
    for unwanted in ["regex", "regex-automata", "regex-syntax", "aho-corasick", "tracing-attributes", "tokio-macros"] {
        assert!(!default.contains(unwanted), "a user's build of atlas-admin compiles {unwanted}");
    }
    let features = tree(&["-e", "normal", "--prefix", "none", "-f", "{p} {f}"]);
    let tokio = features.lines().find(|line| line.starts_with("tokio v")).expect("tokio is a dependency");
    let tokio_features: BTreeSet<&str> = tokio.split_whitespace().nth(2).unwrap_or_default().split(',').collect();
    for wanted in ["time", "sync"] {
        assert!(tokio_features.contains(wanted), "{tokio}");
    }
    for unwanted in ["rt-multi-thread", "macros", "full"] {
        assert!(!tokio_features.contains(unwanted), "atlas-admin turns on tokio's {unwanted}: {tokio}");
    }
}
