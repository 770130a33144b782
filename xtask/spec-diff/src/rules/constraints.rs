//! Value constraints: `minimum`/`maximum` with their exclusive forms, `multipleOf`, `minLength`/`maxLength`,
//! `minItems`/`maxItems`, `uniqueItems` and `minProperties`/`maxProperties`. Each is read from a schema
//! node, and a change is judged by which way it moves the set of valid values: tightened (some value valid
//! before is refused now) or loosened (every value valid before still is, and more are). Where it is decides
//! the rule and so the level: tightening a request refuses what callers sent, loosening a response lets
//! answers carry what callers that validated them did not expect; the other two are safe.

use serde_json::Value;

use super::catalog::Rule;
use super::context::Node;
use crate::model::Side;

/// Where the constrained schema is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// A parameter's schema (or its items').
    RequestParameter,
    /// A request body or a property in it.
    RequestProperty,
    /// A response body or a property in it.
    ResponseProperty,
}

/// A value read from a constraint keyword, with where it is written and how it reads.
#[derive(Clone, Debug)]
struct Located<T> {
    value: T,
    pointer: String,
    text: String,
}

/// A bound of a number: `minimum: 1` is (1, inclusive), `exclusiveMinimum: true` next to it makes it exclusive
/// (OpenAPI 3.0), and a numeric `exclusiveMinimum` (3.1) is an exclusive bound of its own.
#[derive(Clone, Debug)]
struct Bound {
    value: f64,
    exclusive: bool,
    pointer: String,
    text: String,
}

impl Bound {
    fn describe(&self, lower: bool) -> String {
        let sign = match (lower, self.exclusive) {
            (true, false) => ">=",
            (true, true) => ">",
            (false, false) => "<=",
            (false, true) => "<",
        };
        format!("{sign} {}", self.text)
    }
}

/// The constraints of one schema (every field `None` when it says nothing).
#[derive(Clone, Debug, Default)]
pub(super) struct Constraints {
    lower: Option<Bound>,
    upper: Option<Bound>,
    multiple_of: Option<Located<f64>>,
    min_length: Option<Located<u64>>,
    max_length: Option<Located<u64>>,
    min_items: Option<Located<u64>>,
    max_items: Option<Located<u64>>,
    unique_items: Option<Located<bool>>,
    min_properties: Option<Located<u64>>,
    max_properties: Option<Located<u64>>,
}

/// A constraint change found, ready to become a finding.
pub(super) struct ConstraintChange {
    /// The rule for this keyword, direction and place.
    pub(super) rule: Rule,
    /// The side `pointer` is in: the head's keyword, or the base's when the head no longer has it.
    pub(super) side: Side,
    /// The keyword.
    pub(super) pointer: String,
    /// A sentence for people.
    pub(super) message: String,
}

/// Which way a change moved the set of valid values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sense {
    Tightened,
    Loosened,
}

/// The keywords, as far as the rules tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keyword {
    Min,
    Max,
    MultipleOf,
    MinLength,
    MaxLength,
    MinItems,
    MaxItems,
    UniqueItems,
    MinProperties,
    MaxProperties,
}

impl Keyword {
    /// How messages name it.
    fn name(self) -> &'static str {
        match self {
            Keyword::Min => "minimum",
            Keyword::Max => "maximum",
            Keyword::MultipleOf => "multipleOf",
            Keyword::MinLength => "minLength",
            Keyword::MaxLength => "maxLength",
            Keyword::MinItems => "minItems",
            Keyword::MaxItems => "maxItems",
            Keyword::UniqueItems => "uniqueItems",
            Keyword::MinProperties => "minProperties",
            Keyword::MaxProperties => "maxProperties",
        }
    }
}

/// The (tightened, loosened) rules of a keyword at a place; `None` where the rule does not exist (an
/// object's property counts of a parameter, which the generator cannot take).
fn rules(place: Place, keyword: Keyword) -> Option<(Rule, Rule)> {
    use Keyword as K;
    use Place as P;
    use Rule as R;
    Some(match (place, keyword) {
        (P::RequestParameter, K::Min) => (R::RequestParameterMinIncreased, R::RequestParameterMinDecreased),
        (P::RequestParameter, K::Max) => (R::RequestParameterMaxDecreased, R::RequestParameterMaxIncreased),
        (P::RequestParameter, K::MultipleOf) => {
            (R::RequestParameterMultipleOfTightened, R::RequestParameterMultipleOfLoosened)
        }
        (P::RequestParameter, K::MinLength) => {
            (R::RequestParameterMinLengthIncreased, R::RequestParameterMinLengthDecreased)
        }
        (P::RequestParameter, K::MaxLength) => {
            (R::RequestParameterMaxLengthDecreased, R::RequestParameterMaxLengthIncreased)
        }
        (P::RequestParameter, K::MinItems) => {
            (R::RequestParameterMinItemsIncreased, R::RequestParameterMinItemsDecreased)
        }
        (P::RequestParameter, K::MaxItems) => {
            (R::RequestParameterMaxItemsDecreased, R::RequestParameterMaxItemsIncreased)
        }
        (P::RequestParameter, K::UniqueItems) => (R::RequestParameterBecameUnique, R::RequestParameterBecameNotUnique),
        (P::RequestParameter, K::MinProperties | K::MaxProperties) => return None,
        (P::RequestProperty, K::Min) => (R::RequestPropertyMinIncreased, R::RequestPropertyMinDecreased),
        (P::RequestProperty, K::Max) => (R::RequestPropertyMaxDecreased, R::RequestPropertyMaxIncreased),
        (P::RequestProperty, K::MultipleOf) => {
            (R::RequestPropertyMultipleOfTightened, R::RequestPropertyMultipleOfLoosened)
        }
        (P::RequestProperty, K::MinLength) => {
            (R::RequestPropertyMinLengthIncreased, R::RequestPropertyMinLengthDecreased)
        }
        (P::RequestProperty, K::MaxLength) => {
            (R::RequestPropertyMaxLengthDecreased, R::RequestPropertyMaxLengthIncreased)
        }
        (P::RequestProperty, K::MinItems) => (R::RequestPropertyMinItemsIncreased, R::RequestPropertyMinItemsDecreased),
        (P::RequestProperty, K::MaxItems) => (R::RequestPropertyMaxItemsDecreased, R::RequestPropertyMaxItemsIncreased),
        (P::RequestProperty, K::UniqueItems) => (R::RequestPropertyBecameUnique, R::RequestPropertyBecameNotUnique),
        (P::RequestProperty, K::MinProperties) => {
            (R::RequestPropertyMinPropertiesIncreased, R::RequestPropertyMinPropertiesDecreased)
        }
        (P::RequestProperty, K::MaxProperties) => {
            (R::RequestPropertyMaxPropertiesDecreased, R::RequestPropertyMaxPropertiesIncreased)
        }
        (P::ResponseProperty, K::Min) => (R::ResponsePropertyMinIncreased, R::ResponsePropertyMinDecreased),
        (P::ResponseProperty, K::Max) => (R::ResponsePropertyMaxDecreased, R::ResponsePropertyMaxIncreased),
        (P::ResponseProperty, K::MultipleOf) => {
            (R::ResponsePropertyMultipleOfTightened, R::ResponsePropertyMultipleOfLoosened)
        }
        (P::ResponseProperty, K::MinLength) => {
            (R::ResponsePropertyMinLengthIncreased, R::ResponsePropertyMinLengthDecreased)
        }
        (P::ResponseProperty, K::MaxLength) => {
            (R::ResponsePropertyMaxLengthDecreased, R::ResponsePropertyMaxLengthIncreased)
        }
        (P::ResponseProperty, K::MinItems) => {
            (R::ResponsePropertyMinItemsIncreased, R::ResponsePropertyMinItemsDecreased)
        }
        (P::ResponseProperty, K::MaxItems) => {
            (R::ResponsePropertyMaxItemsDecreased, R::ResponsePropertyMaxItemsIncreased)
        }
        (P::ResponseProperty, K::UniqueItems) => (R::ResponsePropertyBecameUnique, R::ResponsePropertyBecameNotUnique),
        (P::ResponseProperty, K::MinProperties) => {
            (R::ResponsePropertyMinPropertiesIncreased, R::ResponsePropertyMinPropertiesDecreased)
        }
        (P::ResponseProperty, K::MaxProperties) => {
            (R::ResponsePropertyMaxPropertiesDecreased, R::ResponsePropertyMaxPropertiesIncreased)
        }
    })
}

/// A keyword's value as written, with its pointer, when it is of the expected kind.
fn located<T>(node: &Node<'_>, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<Located<T>> {
    let child = node.child(key)?;
    let value = read(child.value)?;
    Some(Located { value, text: child.value.to_string(), pointer: child.pointer })
}

/// The bound of one side of a number (`minimum`/`exclusiveMinimum` or `maximum`/`exclusiveMaximum`): the
/// tighter of the inclusive keyword (exclusive when the 3.0 boolean says so) and a 3.1 numeric exclusive one.
fn bound(node: &Node<'_>, inclusive_key: &str, exclusive_key: &str, lower: bool) -> Option<Bound> {
    let flag = node.value.get(exclusive_key).and_then(Value::as_bool).unwrap_or(false);
    let plain = located(node, inclusive_key, Value::as_f64).map(|at| Bound {
        value: at.value,
        exclusive: flag,
        pointer: at.pointer,
        text: at.text,
    });
    let numeric = located(node, exclusive_key, Value::as_f64).map(|at| Bound {
        value: at.value,
        exclusive: true,
        pointer: at.pointer,
        text: at.text,
    });
    match (plain, numeric) {
        (Some(plain), Some(numeric)) => Some(if tighter(&numeric, &plain, lower) { numeric } else { plain }),
        (plain, numeric) => plain.or(numeric),
    }
}

/// Whether bound `a` admits fewer values than `b` (both lower, or both upper, bounds).
fn tighter(a: &Bound, b: &Bound, lower: bool) -> bool {
    if a.value == b.value {
        return a.exclusive && !b.exclusive;
    }
    (a.value > b.value) == lower
}

fn count(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| value.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
}

impl Constraints {
    /// The constraints written on one schema node (no refs followed, no `allOf` merged).
    pub(super) fn read(node: &Node<'_>) -> Constraints {
        if !node.value.is_object() {
            return Constraints::default();
        }
        Constraints {
            lower: bound(node, "minimum", "exclusiveMinimum", true),
            upper: bound(node, "maximum", "exclusiveMaximum", false),
            multiple_of: located(node, "multipleOf", Value::as_f64).filter(|at| at.value > 0.0),
            min_length: located(node, "minLength", count),
            max_length: located(node, "maxLength", count),
            min_items: located(node, "minItems", count),
            max_items: located(node, "maxItems", count),
            unique_items: located(node, "uniqueItems", Value::as_bool),
            min_properties: located(node, "minProperties", count),
            max_properties: located(node, "maxProperties", count),
        }
    }

    /// Takes every constraint `self` does not say from `other` (an `allOf` member the outer schema inherits).
    pub(super) fn fill_from(&mut self, other: &Constraints) {
        fn fill<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        fill(&mut self.lower, &other.lower);
        fill(&mut self.upper, &other.upper);
        fill(&mut self.multiple_of, &other.multiple_of);
        fill(&mut self.min_length, &other.min_length);
        fill(&mut self.max_length, &other.max_length);
        fill(&mut self.min_items, &other.min_items);
        fill(&mut self.max_items, &other.max_items);
        fill(&mut self.unique_items, &other.unique_items);
        fill(&mut self.min_properties, &other.min_properties);
        fill(&mut self.max_properties, &other.max_properties);
    }
}

/// Every constraint that differs between `before` and `after`, for a schema at `place` that messages call
/// `subject` ("property `a` of the request body").
pub(super) fn compare(before: &Constraints, after: &Constraints, place: Place, subject: &str) -> Vec<ConstraintChange> {
    let mut found = Vec::new();
    let mut push = |keyword: Keyword, sense: Sense, (side, pointer): (Side, &str), was: String, is: String| {
        let Some((tightened, loosened)) = rules(place, keyword) else { return };
        let rule = if sense == Sense::Tightened { tightened } else { loosened };
        let message = format!("the {} of {subject} changed: {was} -> {is}", keyword.name());
        found.push(ConstraintChange { rule, side, pointer: pointer.to_owned(), message });
    };
    for (lower, keyword, old, new) in
        [(true, Keyword::Min, &before.lower, &after.lower), (false, Keyword::Max, &before.upper, &after.upper)]
    {
        let sense = match (old, new) {
            (None, None) => continue,
            (None, Some(_)) => Sense::Tightened,
            (Some(_), None) => Sense::Loosened,
            (Some(old), Some(new)) if tighter(new, old, lower) => Sense::Tightened,
            (Some(old), Some(new)) if tighter(old, new, lower) => Sense::Loosened,
            _ => continue,
        };
        let describe = |bound: &Option<Bound>| bound.as_ref().map_or("none".to_owned(), |b| b.describe(lower));
        let at = where_of(old.as_ref().map(|b| b.pointer.as_str()), new.as_ref().map(|b| b.pointer.as_str()));
        push(keyword, sense, at, describe(old), describe(new));
    }
    if let Some(senses) = multiple_of_senses(&before.multiple_of, &after.multiple_of) {
        let at = where_of(
            before.multiple_of.as_ref().map(|m| m.pointer.as_str()),
            after.multiple_of.as_ref().map(|m| m.pointer.as_str()),
        );
        for sense in senses {
            push(Keyword::MultipleOf, sense, at, text_of(&before.multiple_of), text_of(&after.multiple_of));
        }
    }
    let counts = [
        (Keyword::MinLength, true, &before.min_length, &after.min_length),
        (Keyword::MaxLength, false, &before.max_length, &after.max_length),
        (Keyword::MinItems, true, &before.min_items, &after.min_items),
        (Keyword::MaxItems, false, &before.max_items, &after.max_items),
        (Keyword::MinProperties, true, &before.min_properties, &after.min_properties),
        (Keyword::MaxProperties, false, &before.max_properties, &after.max_properties),
    ];
    for (keyword, minimum, old, new) in counts {
        // An absent minimum is 0, an absent maximum is no limit.
        let (was, is) = if minimum {
            (Some(old.as_ref().map_or(0, |at| at.value)), Some(new.as_ref().map_or(0, |at| at.value)))
        } else {
            (old.as_ref().map(|at| at.value), new.as_ref().map(|at| at.value))
        };
        let sense = match (was, is) {
            (Some(was), Some(is)) if was == is => continue,
            (Some(was), Some(is)) => {
                if (is > was) == minimum {
                    Sense::Tightened
                } else {
                    Sense::Loosened
                }
            }
            (None, Some(_)) => Sense::Tightened,
            (Some(_), None) => Sense::Loosened,
            (None, None) => continue,
        };
        let at = where_of(old.as_ref().map(|at| at.pointer.as_str()), new.as_ref().map(|at| at.pointer.as_str()));
        let show = |value: Option<u64>| value.map_or("none".to_owned(), |value| value.to_string());
        push(keyword, sense, at, show(was), show(is));
    }
    let unique = |at: &Option<Located<bool>>| at.as_ref().is_some_and(|at| at.value);
    if unique(&before.unique_items) != unique(&after.unique_items) {
        let sense = if unique(&after.unique_items) { Sense::Tightened } else { Sense::Loosened };
        let at = where_of(
            before.unique_items.as_ref().map(|at| at.pointer.as_str()),
            after.unique_items.as_ref().map(|at| at.pointer.as_str()),
        );
        push(
            Keyword::UniqueItems,
            sense,
            at,
            unique(&before.unique_items).to_string(),
            unique(&after.unique_items).to_string(),
        );
    }
    found
}

/// Where a change of one keyword is located: at the head's keyword, or at the base's when the head dropped it.
fn where_of<'p>(old: Option<&'p str>, new: Option<&'p str>) -> (Side, &'p str) {
    match (new, old) {
        (Some(pointer), _) => (Side::Head, pointer),
        (None, Some(pointer)) => (Side::Base, pointer),
        (None, None) => (Side::Head, ""),
    }
}

fn text_of(at: &Option<Located<f64>>) -> String {
    at.as_ref().map_or("none".to_owned(), |at| at.text.clone())
}

/// Which ways a `multipleOf` change moved the valid values: setting one tightens, removing one loosens; from
/// `a` to `b`, every multiple of `a` still fits when `a` is a multiple of `b` (loosened), some no longer do
/// otherwise (tightened), and when neither divides the other both happen (2 -> 3 refuses 2, accepts 3).
fn multiple_of_senses(old: &Option<Located<f64>>, new: &Option<Located<f64>>) -> Option<Vec<Sense>> {
    let divides = |small: f64, large: f64| {
        let ratio = large / small;
        (ratio - ratio.round()).abs() < 1e-9
    };
    Some(match (old, new) {
        (None, None) => return None,
        (None, Some(_)) => vec![Sense::Tightened],
        (Some(_), None) => vec![Sense::Loosened],
        (Some(old), Some(new)) if old.value == new.value => return None,
        (Some(old), Some(new)) => {
            let mut senses = Vec::new();
            if !divides(new.value, old.value) {
                senses.push(Sense::Tightened);
            }
            if !divides(old.value, new.value) {
                senses.push(Sense::Loosened);
            }
            senses
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: &Value) -> Constraints {
        Constraints::read(&Node { value, pointer: "/s".to_owned() })
    }

    fn rules_of(before: Value, after: Value, place: Place) -> Vec<&'static str> {
        compare(&read(&before), &read(&after), place, "it").iter().map(|change| change.rule.id()).collect()
    }

    #[test]
    fn bounds_with_their_exclusive_forms() {
        assert_eq!(
            rules_of(json!({}), json!({"minimum": 1}), Place::RequestProperty),
            ["request-property-min-increased"]
        );
        assert_eq!(
            rules_of(json!({"minimum": 1}), json!({"minimum": 1, "exclusiveMinimum": true}), Place::RequestProperty),
            ["request-property-min-increased"]
        );
        assert_eq!(
            rules_of(json!({"maximum": 10}), json!({"exclusiveMaximum": 10}), Place::ResponseProperty),
            ["response-property-max-decreased"]
        );
        assert_eq!(
            rules_of(json!({"maximum": 10}), json!({}), Place::ResponseProperty),
            ["response-property-max-increased"]
        );
        assert!(rules_of(json!({"minimum": 1.0}), json!({"minimum": 1}), Place::RequestProperty).is_empty());
    }

    #[test]
    fn counts_default_to_zero_and_no_limit() {
        assert!(rules_of(json!({}), json!({"minLength": 0}), Place::RequestProperty).is_empty());
        assert_eq!(
            rules_of(json!({}), json!({"minItems": 1}), Place::RequestParameter),
            ["request-parameter-min-items-increased"]
        );
        assert_eq!(
            rules_of(json!({"maxLength": 5}), json!({}), Place::RequestProperty),
            ["request-property-max-length-increased"]
        );
        assert!(rules_of(json!({}), json!({"minProperties": 1}), Place::RequestParameter).is_empty());
    }

    #[test]
    fn multiple_of_both_ways_when_neither_divides() {
        let place = Place::RequestProperty;
        assert_eq!(
            rules_of(json!({"multipleOf": 2}), json!({"multipleOf": 4}), place),
            ["request-property-multiple-of-tightened"]
        );
        assert_eq!(
            rules_of(json!({"multipleOf": 4}), json!({"multipleOf": 2}), place),
            ["request-property-multiple-of-loosened"]
        );
        assert_eq!(
            rules_of(json!({"multipleOf": 2}), json!({"multipleOf": 3}), place),
            ["request-property-multiple-of-tightened", "request-property-multiple-of-loosened"]
        );
        assert_eq!(
            rules_of(json!({"multipleOf": 0.5}), json!({"multipleOf": 0.25}), place),
            ["request-property-multiple-of-loosened"]
        );
    }
}
