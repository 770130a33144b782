// The id newtypes have no public constructor that skips validation.
use atlas_admin::OrgId;

fn main() {
    let _ = OrgId(String::from("ABC"));
}
