//! Which branch of a union is which, on the two sides. Never by position: a branch inserted in the middle
//! must not make every later one look changed. A branch is named by the schema it refers to, a branch of a
//! tagged union also by the discriminator values that select it, and an anonymous (inline) branch by its
//! content: its values, its property names or its type.

use super::context::Sides;
use super::view::{Union, View, shape_of, view};
use crate::model::Side;

/// How alike two anonymous branches must be to be one branch: half of the smaller one's values or
/// properties are in the other.
const LIKENESS: f64 = 0.5;

/// Branches paired across the sides, by index into each side's `branches`.
#[derive(Debug, Default)]
pub(super) struct Matching {
    /// (base, head) pairs to compare; one branch may pair with several (a tag moved to a schema of its own).
    pub(super) pairs: Vec<(usize, usize)>,
    /// Base branches with no counterpart.
    pub(super) removed: Vec<usize>,
    /// Head branches with no counterpart.
    pub(super) added: Vec<usize>,
}

/// Pairs the branches of two unions by identity.
pub(super) fn match_branches(sides: &Sides<'_>, before: &Union<'_>, after: &Union<'_>) -> Matching {
    let mut matching = Matching::default();
    let (mut base_used, mut head_used) = (vec![false; before.branches.len()], vec![false; after.branches.len()]);
    for (h, new) in after.branches.iter().enumerate() {
        for (b, old) in before.branches.iter().enumerate() {
            let same_schema = new.target.is_some() && new.target == old.target;
            let same_tag = before.discriminated && after.discriminated && !new.tags.is_disjoint(&old.tags);
            if same_schema || same_tag {
                matching.pairs.push((b, h));
                base_used[b] = true;
                head_used[h] = true;
            }
        }
    }
    // Anonymous branches by content: pairs of at least one inline branch, the most alike first.
    let unmatched = |used: &[bool]| -> Vec<usize> { (0..used.len()).filter(|index| !used[*index]).collect() };
    let (base_left, head_left) = (unmatched(&base_used), unmatched(&head_used));
    if !base_left.is_empty() && !head_left.is_empty() {
        let shapes = |side: Side, union: &Union<'_>, left: &[usize]| -> Vec<_> {
            left.iter().map(|index| shape_of(&view(sides, side, union.branches[*index].schema.clone()))).collect()
        };
        let (base_shapes, head_shapes) =
            (shapes(Side::Base, before, &base_left), shapes(Side::Head, after, &head_left));
        let mut candidates = Vec::new();
        for (i, &b) in base_left.iter().enumerate() {
            for (j, &h) in head_left.iter().enumerate() {
                let anonymous = before.branches[b].target.is_none() || after.branches[h].target.is_none();
                let likeness = base_shapes[i].likeness(&head_shapes[j]);
                if anonymous && likeness >= LIKENESS {
                    candidates.push((likeness, b, h));
                }
            }
        }
        // Most alike first; ties by position, so the result does not depend on hashing.
        candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        for (_, b, h) in candidates {
            if !base_used[b] && !head_used[h] {
                base_used[b] = true;
                head_used[h] = true;
                matching.pairs.push((b, h));
            }
        }
    }
    matching.removed = unmatched(&base_used);
    matching.added = unmatched(&head_used);
    matching
}

/// The branch of `union` that a schema which is not a union stands for, when one side is a union and the
/// other is one of its branches (a request body replaced by its discriminated parent): the branch naming
/// the same schema, or the one the schema's discriminator property selects (a one-value enum).
pub(super) fn branch_for(sides: &Sides<'_>, plain_side: Side, plain: &View<'_>, union: &Union<'_>) -> Option<usize> {
    if let Some(index) = union.branches.iter().position(|branch| branch.target.as_deref() == Some(&plain.pointer)) {
        return Some(index);
    }
    if !union.discriminated {
        return None;
    }
    let property = union.property.as_ref()?;
    let selected = sides.resolve(plain_side, plain.properties.get(property)?.clone());
    let values = selected.value.get("enum")?.as_array()?;
    let [value] = values.as_slice() else { return None };
    let tag = value.as_str()?;
    union.branches.iter().position(|branch| branch.tags.contains(tag))
}
