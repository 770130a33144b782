//! Test support.

pub mod replay;
pub mod mock_atlas;
pub mod apache;
