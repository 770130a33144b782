//! Generated ids check their pattern both ways the generator emits: read as pieces by the runtime
//! (`PeerId`, `^pcx-[0-9a-f]{8,17}$`) and, for a pattern with alternation, with the `regex` crate
//! (`RegionName`, `^(us|eu)-[a-z]+-[0-9]$`).

use codegen_goldens::regex_id_pattern::ids::{PeerId, RegionName};

#[test]
fn a_pattern_read_as_pieces_accepts_and_rejects_as_written() {
    assert_eq!("pcx-0123abcd".parse::<PeerId>().map(|id| id.to_string()), Ok("pcx-0123abcd".to_owned()));
    assert!("pcx-0123456789abcdef01".parse::<PeerId>().is_err(), "18 hex digits is past {{8,17}}");
    assert!("pcx-0123abc".parse::<PeerId>().is_err(), "7 hex digits is short of {{8,17}}");
    let error = "pcx-0123ABCD".parse::<PeerId>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid PeerId \"pcx-0123ABCD\": it does not match the pattern ^pcx-[0-9a-f]{8,17}$"
    );
}

#[test]
fn a_pattern_with_alternation_is_checked_with_regex() {
    assert!("us-east-1".parse::<RegionName>().is_ok());
    assert!("eu-west-3".parse::<RegionName>().is_ok());
    let error = "ap-south-1".parse::<RegionName>().unwrap_err();
    assert_eq!(error.reason, "it does not match the pattern ^(us|eu)-[a-z]+-[0-9]$");
    assert!(serde_json::from_str::<RegionName>("\"us-east-12\"").is_err());
}
