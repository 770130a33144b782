//! Which API version each operation uses: the newest dated version it offers (not after the pin date, when
//! there is one); `preview` only when that is all it offers or it is asked for.

use crate::model::{Content, Operation};
use crate::spec::media::Version;

/// What version selection decided for one operation.
pub(crate) use crate::spec::media::VersionChoice as Choice;

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
    crate::spec::media::choose_version(&offered(operation), pin, prefer_preview)
}

/// The contents that belong to `version`: those carrying it, or, when none does, the unversioned ones.
pub(crate) fn contents_for<'a>(contents: &'a [Content], version: Option<&Version>) -> Vec<&'a Content> {
    let matching: Vec<&Content> = contents.iter().filter(|c| c.media.version.as_ref() == version).collect();
    if !matching.is_empty() {
        return matching;
    }
    contents.iter().filter(|c| c.media.version.is_none()).collect()
}
