//! Which API version each operation uses: the version the record pins it to, while the operation offers it;
//! else (a new operation, or one being adopted) the newest dated version it offers (not after the pin date,
//! when there is one), `preview` only when that is all it offers or it is asked for.

use crate::model::{Content, Operation};
use crate::spec::media::{Version, VersionChoice};

/// What version selection decided for one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Use this version (`None`: the operation's media types carry no version).
    Use(Option<Version>),
    /// Every version the operation offers is newer than the pin date.
    NewerThanPin,
    /// The record pins a version the operation no longer offers: a deliberate choice is needed.
    PinnedGone {
        /// The recorded version.
        pinned: String,
        /// What the operation offers now.
        offered: Vec<Version>,
    },
}

/// Chooses the version of one operation: the recorded one (`pinned`) unless `adopt`, else [`choose`].
pub(crate) fn choose_recorded(
    operation: &Operation,
    pinned: Option<&str>,
    adopt: bool,
    pin: Option<&str>,
    prefer_preview: bool,
) -> Choice {
    let Some(pinned) = pinned.filter(|_| !adopt) else { return choose(operation, pin, prefer_preview) };
    let versions = offered(operation);
    match versions.iter().find(|v| v.label() == pinned) {
        Some(version) => Choice::Use(Some(version.clone())),
        None => Choice::PinnedGone { pinned: pinned.to_owned(), offered: versions },
    }
}

/// The dated versions `operation` offers that are newer than `version`.
pub(crate) fn newer_than(operation: &Operation, version: Option<&Version>) -> Vec<String> {
    // A preview is older than any dated version: promotion to one is worth adopting.
    let current = match version {
        Some(Version::Date(date)) => date.as_str(),
        Some(Version::Preview) => "",
        _ => return Vec::new(),
    };
    offered(operation)
        .into_iter()
        .filter_map(|v| match v {
            Version::Date(date) if date.as_str() > current => Some(date),
            _ => None,
        })
        .collect()
}

/// Every version the operation's success answers and request body offer, sorted.
pub(crate) fn offered(operation: &Operation) -> Vec<Version> {
    let mut versions: Vec<Version> = operation
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .flat_map(|r| &r.contents)
        .chain(operation.request_body.iter().flat_map(|b| &b.contents))
        .filter_map(|c| c.media.version.clone())
        .collect();
    versions.sort();
    versions.dedup();
    versions
}

/// Chooses the version of one operation, by the one policy (`spec::media::choose_version`).
pub(crate) fn choose(operation: &Operation, pin: Option<&str>, prefer_preview: bool) -> Choice {
    match crate::spec::media::choose_version(&offered(operation), pin, prefer_preview) {
        VersionChoice::Use(version) => Choice::Use(version),
        VersionChoice::NewerThanPin => Choice::NewerThanPin,
    }
}

/// The contents that belong to `version`: those carrying it, or, when none does, the unversioned ones.
pub(crate) fn contents_for<'a>(contents: &'a [Content], version: Option<&Version>) -> Vec<&'a Content> {
    let matching: Vec<&Content> = contents.iter().filter(|c| c.media.version.as_ref() == version).collect();
    if !matching.is_empty() {
        return matching;
    }
    contents.iter().filter(|c| c.media.version.is_none()).collect()
}
