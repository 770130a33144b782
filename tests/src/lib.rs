//! Test support.

pub mod apache;
pub mod mock_atlas;
pub mod replay;
