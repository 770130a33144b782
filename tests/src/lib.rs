//! Test support for the project's own tests: the recorded fixtures and their replay server, the Apache
//! httpd harness, the hostile-server suite's cases, crates outside the workspace built as a user would
//! (`nested`), and `atlas-admin` clients set up for the local Atlas (which lives in its own crate,
//! `local-atlas`, so users can run it in their tests too).

pub mod apache;
pub mod clients;
pub mod hostile;
pub mod http;
pub mod nested;
pub mod replay;
