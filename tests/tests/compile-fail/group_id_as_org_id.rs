// A GroupId is not an OrgId, even though both are 24 hex digits.
use atlas_admin::{ApiUserId, Client, GroupId};

fn main() {
    let client = Client::builder().build().unwrap();
    let group: GroupId = "5953c5f380eef53887615f9a".parse().unwrap();
    let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
    let _ = client.delete_org_api_key(&group, &key);
}
