//! What the generated types do with answers the spec did not foresee, on real goldens: unlisted enum values
//! and unknown union members are kept and encode back unchanged; `null` where the spec says not nullable
//! decodes; recursive types nest; request types are strict about what they send.

use codegen_goldens::composition::types::{Alert, Cloud, HostAlertComparison, InstanceSize, Node};
use codegen_goldens::requests::types::{Key, KeyRequest, KeyRolesItem};
use serde_json::{Value, json};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    (decoded, encoded)
}

#[test]
fn an_unlisted_enum_value_is_kept_and_encodes_back_unchanged() {
    let (size, encoded) = round_trip::<InstanceSize>(json!("M10"));
    assert_eq!(size, InstanceSize::M10);
    assert_eq!(encoded, json!("M10"));
    let (size, encoded) = round_trip::<InstanceSize>(json!("m10_nvme"));
    assert_eq!(size, InstanceSize::Other("m10_nvme".into()));
    assert_eq!(encoded, json!("m10_nvme"));
    // Values made of symbols get distinct names, and the empty string is a value too.
    assert_eq!(serde_json::from_value::<HostAlertComparison>(json!("<")).unwrap(), HostAlertComparison::Lt);
    assert_eq!(serde_json::from_value::<HostAlertComparison>(json!(">")).unwrap(), HostAlertComparison::Gt);
    assert_eq!(serde_json::from_value::<HostAlertComparison>(json!("")).unwrap(), HostAlertComparison::Empty);
}

#[test]
fn null_and_absent_decode_as_none_even_where_the_spec_requires_a_value() {
    // `Key` requires `desc`, `roles`, `id` and does not make them nullable; the service may still omit or
    // null them, and the answer still decodes.
    let key: Key = serde_json::from_value(json!({"desc": null, "roles": null, "unlisted": {"kept": "in raw_body"}}))
        .expect("decodes");
    assert_eq!(key.desc, None);
    assert_eq!(key.roles, None);
    assert_eq!(key.id, None);
}

#[test]
fn a_tagged_union_decodes_by_mapping_and_keeps_an_unknown_tag() {
    let aws: Cloud = serde_json::from_value(json!({"provider": "AWS", "accountId": "1", "name": null})).unwrap();
    match aws {
        Cloud::Aws(cloud) => assert_eq!(cloud.account_id.as_deref(), Some("1")),
        other => panic!("expected Aws, got {other:?}"),
    }
    assert!(matches!(serde_json::from_value(json!({"provider": "gcp"})).unwrap(), Cloud::GcpCloud(_)));
    let raw = json!({"provider": "TENCENT", "region": "x"});
    let (unknown, encoded) = round_trip::<Cloud>(raw.clone());
    assert!(matches!(unknown, Cloud::Unknown(_)));
    assert_eq!(encoded, raw);
}

#[test]
fn an_untagged_union_picks_the_branch_whose_listed_values_match() {
    let host: Alert = serde_json::from_value(json!({"eventTypeName": "HOST_DOWN", "hostname": "h"})).unwrap();
    assert!(matches!(host, Alert::HostAlert(_)), "{host:?}");
    let cluster: Alert = serde_json::from_value(json!({"eventTypeName": "CLUSTER_MONGOS_IS_MISSING"})).unwrap();
    assert!(matches!(cluster, Alert::ClusterAlert(_)), "{cluster:?}");
    let neither: Alert = serde_json::from_value(json!(["not", "an", "object"])).unwrap();
    assert!(matches!(neither, Alert::Unknown(_)));
}

#[test]
fn recursive_types_nest() {
    let tree: Node =
        serde_json::from_value(json!({"name": "leaf", "parent": {"name": "root"}, "children": [[], [[]]]}))
            .expect("decodes");
    assert_eq!(tree.parent.as_ref().and_then(|p| p.name.as_deref()), Some("root"));
    assert_eq!(tree.children.as_ref().map(|forest| forest.0.len()), Some(2));
}

#[test]
fn a_request_type_requires_what_the_spec_requires_and_leaves_out_read_only_properties() {
    let mut request = KeyRequest::new("rotation".into(), vec![KeyRolesItem::OrgOwner], None);
    request.password = Some("p4ss".into());
    let sent = serde_json::to_value(&request).unwrap();
    // `secretHint` is required and nullable: sent as null; `id` and `privateKey` are read-only: absent.
    assert_eq!(sent, json!({"desc": "rotation", "roles": ["ORG_OWNER"], "password": "p4ss", "secretHint": null}));
    assert!(!format!("{request:?}").contains("p4ss"), "secrets are redacted in Debug");
}

/// Structs' serde comes from the runtime's `impl_object!` (no derive): what a struct reads, as lenient as
/// the derive was where that is safe, and as strict where the type says a value must be there.
#[test]
fn a_struct_reads_its_wire_names_skips_the_rest_and_names_what_is_missing() {
    // From text, so the repeated key reaches the decoder (`json!` would merge it first).
    let read: KeyRequest = serde_json::from_str(
        r#"{"desc": "first", "roles": ["ORG_OWNER", "ORG_NEW_ROLE"], "secretHint": null,
            "unlisted": [1, {"a": 2}], "desc": "last"}"#,
    )
    .expect("decodes");
    assert_eq!(read.desc, "last", "a repeated key keeps its last value");
    assert_eq!(read.roles, [KeyRolesItem::OrgOwner, KeyRolesItem::Other("ORG_NEW_ROLE".into())]);
    assert_eq!(read.secret_hint, None);
    let from_text: KeyRequest =
        serde_json::from_str(r#"{"d\u0065sc": "escaped", "roles": [], "secretHint": "h"}"#).expect("decodes");
    assert_eq!((from_text.desc.as_str(), from_text.secret_hint.as_deref()), ("escaped", Some("h")));
    let missing = serde_json::from_value::<KeyRequest>(json!({"desc": "d"})).unwrap_err();
    assert!(missing.to_string().contains("missing field `roles`"), "{missing}");
    let not_an_object = serde_json::from_value::<Key>(json!(["d", []])).unwrap_err();
    assert!(not_an_object.to_string().contains("a JSON object (`Key`)"), "{not_an_object}");
    // What a struct sends it reads back unchanged.
    let (again, encoded) = round_trip::<KeyRequest>(serde_json::to_value(&read).unwrap());
    assert_eq!(again, read);
    assert_eq!(encoded, json!({"desc": "last", "roles": ["ORG_OWNER", "ORG_NEW_ROLE"], "secretHint": null}));
}

/// The `kept` golden: generated from a spec that lost a field, an enum value and a union branch, with the
/// record of the spec that had them. What it kept still decodes and encodes, so a program that handled
/// them keeps working (they are deprecated, so it is warned).
#[test]
#[allow(deprecated, reason = "the kept items are what this test is about")]
fn kept_items_still_decode_and_encode() {
    use codegen_goldens::kept::types::{NewWidget, NewWidgetColor, Shape, Widget, WidgetStatus};
    let widget: Widget = serde_json::from_value(json!({
        "id": "w1", "legacyNote": "old", "status": "BROKEN", "size": 5_000_000_000_i64, "shape": {"kind": "square", "side": 2.0}
    }))
    .expect("decodes");
    assert_eq!(widget.legacy_note.as_deref(), Some("old"));
    assert_eq!(widget.status, Some(WidgetStatus::Broken));
    // The spec narrowed `size` to int32; the kept i64 still reads what the service sent.
    assert_eq!(widget.size, Some(5_000_000_000));
    assert!(matches!(widget.shape, Some(Shape::Square(_))), "{widget:?}");
    // `color` is any string now: the kept enum sends a listed value and any other.
    let mut request = NewWidget::new("w".into());
    request.color = Some(NewWidgetColor::Other("GREEN".into()));
    assert_eq!(serde_json::to_value(&request).unwrap(), json!({"name": "w", "color": "GREEN"}));
    request.color = Some(NewWidgetColor::Red);
    assert_eq!(serde_json::to_value(&request).unwrap(), json!({"name": "w", "color": "RED"}));
}
