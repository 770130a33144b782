// An unchecked string cannot be passed where an id is expected: it has to be parsed (and validated) first.
use atlas_admin::{ApiUserId, Client};

fn main() {
    let client = Client::builder().build().unwrap();
    let key: ApiUserId = "6501f7a0c3a5b1d2e4f60718".parse().unwrap();
    let _ = client.delete_org_api_key("5953c5f380eef53887615f9a", &key);
}
