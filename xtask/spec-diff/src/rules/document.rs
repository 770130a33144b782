//! Document-wide settings that change what the generated client sends: `x-pinned-version`, the date every
//! operation's version is chosen by (its newest version not after the date).

use serde_json::Value;

use super::catalog::Rule;
use super::context::Sides;
use crate::model::{Change, Side};

/// Where the pin is.
const PIN: &str = "/x-pinned-version";

/// Reports the pin being set, moved or removed.
pub(super) fn compare_pinned_version(sides: &Sides<'_>, changes: &mut Vec<Change>) {
    let pin = |side: Side| sides.document(side).root.pointer(PIN).map(describe);
    let (before, after) = (pin(Side::Base), pin(Side::Head));
    if before == after {
        return;
    }
    let (side, message) = match (&before, &after) {
        (None, Some(to)) => {
            (Side::Head, format!("the document now pins every operation to its newest version not after {to}"))
        }
        (Some(from), None) => {
            (Side::Base, format!("the version pin {from} was removed: every operation sends its newest version"))
        }
        (Some(from), Some(to)) => (Side::Head, format!("the version pin moved from {from} to {to}")),
        (None, None) => return,
    };
    changes.push(sides.change(Rule::PinnedVersionChanged, None, side, PIN, message));
}

fn describe(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}
