//! A typed client for the MongoDB Atlas Administration API.
#![deny(missing_docs)]

pub mod runtime;
