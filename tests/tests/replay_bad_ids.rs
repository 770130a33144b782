//! Malformed ids are rejected when parsed, with a message naming the id type, and no request is sent.

use atlas_admin::runtime::InvalidArgument;
use atlas_admin::{ApiUserId, Client, Error, GroupId, KeyId, OrgId, UserId};
use atlas_admin_tests::replay::{Exchange, ReplayServer};

const VALID: &str = "5953c5f380eef53887615f9a";

#[test]
fn abc_is_not_an_org_id_and_the_message_names_org_id() {
    let error = "ABC".parse::<OrgId>().expect_err("ABC is not 24 hex digits");
    assert_eq!(error.kind, "OrgId");
    assert_eq!(error.value, "ABC");
    let message = error.to_string();
    assert!(message.contains("OrgId"), "{message}");
    assert!(message.contains("\"ABC\""), "{message}");
    assert!(message.contains("^([a-f0-9]{24})$"), "{message}");
}

#[test]
fn every_id_type_names_itself_and_rejects_the_same_bad_values() {
    let bad = [
        "ABC",
        "",
        "5953C5F380EEF53887615F9A",  // upper case
        "5953c5f380eef53887615f9",   // 23 digits
        "5953c5f380eef53887615f9a0", // 25 digits
        "5953c5f380eef53887615f9g",  // not hex
        "../../../../api/atlas/v2/x",
        "5953c5f380eef53887615f9a\n",
    ];
    for value in bad {
        let kinds = [
            value.parse::<OrgId>().map(drop).map_err(|e| e.kind),
            value.parse::<GroupId>().map(drop).map_err(|e| e.kind),
            value.parse::<ApiUserId>().map(drop).map_err(|e| e.kind),
            value.parse::<UserId>().map(drop).map_err(|e| e.kind),
            value.parse::<KeyId>().map(drop).map_err(|e| e.kind),
        ];
        assert_eq!(kinds, [Err("OrgId"), Err("GroupId"), Err("ApiUserId"), Err("UserId"), Err("KeyId")], "{value:?}");
    }
    assert!(OrgId::try_from(VALID).is_ok() && GroupId::try_from(VALID).is_ok() && KeyId::try_from(VALID).is_ok());
}

/// What a caller writes: parse the ids, then send. `?` turns a bad id into `Error::InvalidArgument`.
async fn delete_org_key(client: &Client, org: &str, key: &str) -> Result<u16, Error> {
    let org: OrgId = org.parse()?;
    let key: ApiUserId = key.parse()?;
    Ok(client.delete_org_api_key(&org, &key).send().await?.status.as_u16())
}

#[tokio::test]
async fn a_bad_id_never_reaches_the_server() {
    // An empty script: any request at all would be recorded as a problem.
    let server = ReplayServer::start(Vec::<Exchange>::new()).await.expect("the replay server starts");
    let client = Client::builder().base_url(server.base_url()).no_retries().build().expect("a client");
    let error = delete_org_key(&client, "ABC", VALID).await.expect_err("ABC is rejected");
    match &error {
        Error::InvalidArgument(argument) => match argument.as_ref() {
            InvalidArgument::Id(invalid) => assert_eq!(invalid.kind, "OrgId"),
            other => panic!("expected InvalidArgument::Id, got {other:?}"),
        },
        other => panic!("expected InvalidArgument::Id, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    assert!(error.to_string().contains("invalid OrgId \"ABC\""), "{error}");
    let error = delete_org_key(&client, VALID, "not-a-key").await.expect_err("the key is rejected");
    assert!(error.to_string().contains("invalid ApiUserId"), "{error}");
    assert_eq!(server.requests(), vec![], "no request may reach the server");
    assert_eq!(server.verify(), Ok(vec![]));
}
