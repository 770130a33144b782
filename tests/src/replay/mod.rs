//! Recorded exchanges and a loopback server that replays them.
//!
//! A fixture (one JSON file in `tests/fixtures/`, described in its `README.md`) holds one exchange with the
//! Atlas Administration API: the request the client must send, the answer the service gave, and what the
//! caller must see. [`ReplayServer`] serves a sequence of such exchanges on `127.0.0.1`, checks each request
//! it receives against the one it expects, and keeps every request for later assertions. A request that does
//! not match is answered `599` with a description, and [`ReplayServer::verify`] reports it, so a test fails
//! with a message that says what differed.

mod fixture;
mod matching;
mod outcome;
mod server;

pub use fixture::{
    AuthSetup, Call, Expectation, ExpectedRequest, Fixture, HeaderPresence, Operation, RecordedResponse, fixtures_dir,
    load_all, load_fixture,
};
pub use matching::{RecordedRequest, mismatches};
pub use outcome::{Outcome, check_outcome, client_for, run_call};
pub use server::{Exchange, MISMATCH_STATUS, ReplayServer};
