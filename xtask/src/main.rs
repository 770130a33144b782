//! The maintainers' entry point: `cargo xtask <command>`.

mod check_recorded;
mod cli;
mod diff;
mod fresh;
mod fuzz;
mod options;
mod paths;
mod regenerate;
mod test;
mod trim;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

every command takes --help (printed to standard output, exit 0); a usage error exits 2.

commands:
  regenerate [--check]               write generated-client/src/generated from spec/ (--check: write nothing, fail if stale)
  regenerate --spec FILE --out DIR   generate a standalone crate from any OpenAPI 3.0 document
  trim [--upstream FILE] [--check]   cut spec/atlas-admin.yaml out of the upstream Atlas spec
  check-recorded --spec FILE DIR     decode every recorded answer in DIR with the client generated from FILE
  fuzz [--seconds N]                 fuzz codegen::generate on nightly (installs cargo-fuzz if missing)
  test [ARGS]                        install what the tests need (apache2, curl) and run every test
  diff [--base REV|FILE] [--head REV|FILE] [--format text|markdown|json] [--fail-on error|warning]
       [--allowlist FILE] [--output FILE] [--no-client-api] [--list-rules]
                                     report what changed between two versions of the trimmed spec
                                     (default base HEAD, default head the working tree)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "regenerate" => regenerate::run(rest),
        "trim" => trim::run(rest),
        "diff" => diff::run(rest),
        "test" => test::run(rest),
        "check-recorded" => check_recorded::run(rest),
        "fuzz" => fuzz::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprint!("unknown command {other:?}\n\n{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    match result {
        Ok(code) => code,
        // A command line the subcommand cannot accept is exit 2, like an unknown command.
        Err(error) if error.downcast_ref::<cli::UsageError>().is_some() => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
