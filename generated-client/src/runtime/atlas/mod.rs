//! The Atlas profile: what this runtime knows about the MongoDB Atlas Administration API in particular.
//! Nothing outside this module refers to it.

pub(crate) mod errors;
