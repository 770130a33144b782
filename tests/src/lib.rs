//! Test support.

pub mod replay;
pub mod mock_atlas;
