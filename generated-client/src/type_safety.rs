//! Mistakes the type system must catch, as doc tests: each `compile_fail` example must fail with the error
//! code it names, and the example after it, the same code done right, must compile, so an example cannot
//! fail for a reason of its own. Doc tests compile against the crate already built for the tests, with no
//! cargo build of their own.
//!
//! A `GroupId` is not an `OrgId`, though both are 24 hex digits:
//!
//! ```compile_fail,E0308
//! # use atlas_admin::{ApiUserId, Client, GroupId};
//! # let client = Client::builder().build().unwrap();
//! let group: GroupId = "5953c5f380eef53887615f9a".parse().unwrap();
//! let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
//! let _ = client.delete_org_api_key(&group, &key);
//! ```
//!
//! ```
//! # use atlas_admin::{ApiUserId, Client, OrgId};
//! # let client = Client::builder().build().unwrap();
//! let org: OrgId = "5953c5f380eef53887615f9a".parse().unwrap();
//! let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
//! let _ = client.delete_org_api_key(&org, &key);
//! ```
//!
//! An unchecked string cannot stand in for an id: it has to be parsed, and so validated, first:
//!
//! ```compile_fail,E0308
//! # use atlas_admin::{ApiUserId, Client};
//! # let client = Client::builder().build().unwrap();
//! let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
//! let _ = client.delete_org_api_key("5953c5f380eef53887615f9a", &key);
//! ```
//!
//! A project id and a key id swapped are both rejected:
//!
//! ```compile_fail,E0308
//! # use atlas_admin::{ApiUserId, Client, GroupId};
//! # let client = Client::builder().build().unwrap();
//! let group: GroupId = "5953c5f380eef53887615f9a".parse().unwrap();
//! let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
//! let _ = client.remove_group_api_key(&key, &group);
//! ```
//!
//! ```
//! # use atlas_admin::{ApiUserId, Client, GroupId};
//! # let client = Client::builder().build().unwrap();
//! let group: GroupId = "5953c5f380eef53887615f9a".parse().unwrap();
//! let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
//! let _ = client.remove_group_api_key(&group, &key);
//! ```
//!
//! The id newtypes have no public constructor that skips validation:
//!
//! ```compile_fail,E0423
//! let _ = atlas_admin::OrgId(String::from("ABC"));
//! ```
//!
//! ```
//! let _ = atlas_admin::OrgId::new(String::from("5953c5f380eef53887615f9a"));
//! ```
