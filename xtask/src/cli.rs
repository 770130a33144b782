//! Flags, one way for every subcommand: [`lexopt`] reads them (`--flag value` and `--flag=value` alike),
//! `--help`/`-h` prints the subcommand's usage to standard output and exits 0, and a usage error exits 2
//! with the usage on standard error. Exit 1 is left to each command's own finding (a stale file, a breaking
//! change, a failing test).

use std::fmt;
use std::path::PathBuf;

use std::ffi::OsString;

use lexopt::{Arg, ValueExt as _};

/// A command line the subcommand cannot accept: exit 2, with its usage.
#[derive(Debug)]
pub(crate) struct UsageError {
    /// What is wrong.
    pub(crate) message: String,
    /// The subcommand's usage text.
    pub(crate) usage: &'static str,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n\n{}", self.message, self.usage.trim_end())
    }
}

impl std::error::Error for UsageError {}

/// A usage error for `usage`.
pub(crate) fn usage_error(usage: &'static str, message: impl Into<String>) -> anyhow::Error {
    UsageError { message: message.into(), usage }.into()
}

/// What parsing decided.
pub(crate) enum Parsed {
    /// Go on and run the command.
    Run,
    /// `--help` was asked for and printed: exit 0.
    Help,
}

/// One thing on the command line: a flag (`name` is `--check`, `-x`) or a plain value (`name` is empty).
#[derive(Debug)]
pub(crate) struct Flag {
    /// `--long` or `-s`; empty for a plain value.
    pub(crate) name: String,
    /// The plain value, when this is one.
    value: Option<OsString>,
}

impl Flag {
    /// The error for a flag or value the subcommand does not take.
    pub(crate) fn unexpected(self) -> lexopt::Error {
        match self.value {
            Some(value) => lexopt::Error::UnexpectedArgument(value),
            None => lexopt::Error::UnexpectedOption(self.name),
        }
    }

    /// A plain value as a path.
    pub(crate) fn into_path(self) -> Option<PathBuf> {
        self.value.map(PathBuf::from)
    }
}

/// Reads `args` (those after the subcommand), handing each flag or value to `each`, which takes a flag's
/// value from the parser; `--help` and `-h` are answered here. `each` returns `Err(flag.unexpected())` for
/// what it does not know.
pub(crate) fn parse(
    args: &[String],
    usage: &'static str,
    mut each: impl FnMut(Flag, &mut lexopt::Parser) -> Result<(), lexopt::Error>,
) -> anyhow::Result<Parsed> {
    let mut parser = lexopt::Parser::from_args(args.iter().cloned());
    loop {
        let arg = parser.next().map_err(|error| usage_error(usage, error.to_string()))?;
        let flag = match arg {
            None => return Ok(Parsed::Run),
            Some(Arg::Long("help") | Arg::Short('h')) => {
                print!("{usage}");
                return Ok(Parsed::Help);
            }
            Some(Arg::Long(name)) => Flag { name: format!("--{name}"), value: None },
            Some(Arg::Short(letter)) => Flag { name: format!("-{letter}"), value: None },
            Some(Arg::Value(value)) => Flag { name: String::new(), value: Some(value) },
        };
        each(flag, &mut parser).map_err(|error| usage_error(usage, error.to_string()))?;
    }
}

/// The value of the flag just read, as a path.
pub(crate) fn path(parser: &mut lexopt::Parser) -> Result<PathBuf, lexopt::Error> {
    Ok(PathBuf::from(parser.value()?))
}

/// The value of the flag just read, as UTF-8 text.
pub(crate) fn text(parser: &mut lexopt::Parser) -> Result<String, lexopt::Error> {
    parser.value()?.into_string().map_err(lexopt::Error::NonUnicodeValue)
}

/// The value of the flag just read, parsed (`--seconds 600`).
pub(crate) fn number<T>(parser: &mut lexopt::Parser) -> Result<T, lexopt::Error>
where
    T: std::str::FromStr,
    T::Err: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
{
    parser.value()?.parse()
}
