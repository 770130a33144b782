//! The resources the local Atlas keeps for the operations of a spec: collections of JSON documents (what
//! `POST /…/things` creates, `GET /…/things` lists and `GET`/`PATCH`/`DELETE /…/things/{id}` reach) and
//! singletons (`GET`/`PATCH /…/settings`), each under its path with the parents' ids filled in.
//!
//! Ids are made the way Atlas makes them: 24 lowercase hex digits, a timestamp then a counter
//! ([`object_id`]). Lists page as Atlas pages them ([`page`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The default page size of an Atlas list (`itemsPerPage`).
pub const DEFAULT_ITEMS_PER_PAGE: usize = 100;
/// The largest page size Atlas accepts.
pub const MAX_ITEMS_PER_PAGE: usize = 500;

/// Every collection and singleton, by path.
#[derive(Debug, Default)]
pub struct Resources {
    collections: BTreeMap<String, Vec<(String, Value)>>,
    singletons: BTreeMap<String, Value>,
}

impl Resources {
    /// The items of the collection at `path`, in creation order.
    pub fn list(&self, path: &str) -> &[(String, Value)] {
        self.collections.get(path).map_or(&[], Vec::as_slice)
    }

    /// One item.
    pub fn get(&self, path: &str, id: &str) -> Option<&Value> {
        self.list(path).iter().find(|(key, _)| key == id).map(|(_, item)| item)
    }

    /// Adds an item, or replaces the one with the same id (creating twice is idempotent).
    pub fn put(&mut self, path: &str, id: &str, item: Value) {
        let items = self.collections.entry(path.to_owned()).or_default();
        match items.iter_mut().find(|(key, _)| key == id) {
            Some((_, existing)) => *existing = item,
            None => items.push((id.to_owned(), item)),
        }
    }

    /// Removes an item and everything under it (`{path}/{id}/…`). False when there was no such item.
    pub fn remove(&mut self, path: &str, id: &str) -> bool {
        let Some(items) = self.collections.get_mut(path) else { return false };
        let before = items.len();
        items.retain(|(key, _)| key != id);
        let removed = items.len() != before;
        if removed {
            self.remove_under(&format!("{path}/{id}"));
        }
        removed
    }

    /// Removes every collection and singleton under `prefix` (a deleted resource's children).
    pub fn remove_under(&mut self, prefix: &str) {
        let child = format!("{prefix}/");
        self.collections.retain(|path, _| !path.starts_with(&child));
        self.singletons.retain(|path, _| !path.starts_with(&child));
    }

    /// The singleton at `path`, if it was ever set.
    pub fn singleton(&self, path: &str) -> Option<&Value> {
        self.singletons.get(path)
    }

    /// Sets the singleton at `path`.
    pub fn set_singleton(&mut self, path: &str, value: Value) {
        self.singletons.insert(path.to_owned(), value);
    }

    /// How many items all collections hold.
    pub fn len(&self) -> usize {
        self.collections.values().map(Vec::len).sum()
    }

    /// True when no collection holds an item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A new id in Atlas's format: 24 lowercase hex digits, the seconds since 1970 then a process-wide counter
/// (so ids sort by creation, as Atlas's ObjectIds do, and never repeat within a run).
pub fn object_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as u32;
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // The counter starts at a random-ish offset per process, so two local Atlases of two runs differ.
    let base = u64::from(std::process::id()) << 32;
    format!("{seconds:08x}{:016x}", base.wrapping_add(count))
}

/// The time now as Atlas writes it: `2026-08-10T03:02:57Z`.
pub fn timestamp() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The page parameters of a list request: `pageNum` (from 1), `itemsPerPage`, `includeCount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The page, from 1.
    pub page_num: usize,
    /// Items per page, 1 to [`MAX_ITEMS_PER_PAGE`].
    pub items_per_page: usize,
    /// Whether `totalCount` is sent.
    pub include_count: bool,
}

impl PageRequest {
    /// Reads the page parameters of a query string. `Err` names a parameter Atlas would refuse.
    pub fn from_query(query: Option<&str>) -> Result<PageRequest, String> {
        let mut page = PageRequest { page_num: 1, items_per_page: DEFAULT_ITEMS_PER_PAGE, include_count: true };
        for pair in query.unwrap_or_default().split('&') {
            let Some((name, value)) = pair.split_once('=') else { continue };
            let number = || value.parse::<usize>().map_err(|_| format!("{name} must be a number, not {value:?}"));
            match name {
                "pageNum" => page.page_num = number()?.max(1),
                "itemsPerPage" => {
                    page.items_per_page = number()?;
                    if !(1..=MAX_ITEMS_PER_PAGE).contains(&page.items_per_page) {
                        return Err(format!("itemsPerPage must be between 1 and {MAX_ITEMS_PER_PAGE}"));
                    }
                }
                "includeCount" => page.include_count = value != "false",
                _ => {}
            }
        }
        Ok(page)
    }
}

/// One page of `items` as Atlas answers a list: `{"links": [...], "results": [...], "totalCount": n}`
/// (`totalCount` only when asked for), with a `self` link on `base_url` + `path`.
pub fn page(items: &[Value], request: PageRequest, base_url: &str, path: &str) -> Value {
    let start = (request.page_num - 1).saturating_mul(request.items_per_page);
    let results: Vec<Value> = items.iter().skip(start).take(request.items_per_page).cloned().collect();
    let href = format!(
        "{base_url}{path}?includeCount={}&pageNum={}&itemsPerPage={}",
        request.include_count, request.page_num, request.items_per_page
    );
    let mut body = json!({ "links": [{ "href": href, "rel": "self" }], "results": results });
    if request.include_count {
        body["totalCount"] = json!(items.len());
    }
    body
}

/// A `self` link, as Atlas puts in every resource.
pub fn self_link(base_url: &str, path: &str) -> Value {
    json!([{ "href": format!("{base_url}{path}"), "rel": "self" }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_atlas_ids_and_sort_by_creation() {
        let (first, second) = (object_id(), object_id());
        assert!(crate::seed::is_id(&first), "{first}");
        assert!(first < second);
    }

    #[test]
    fn pages_follow_atlas_pagination() {
        let items: Vec<Value> = (0..5).map(|i| json!({ "i": i })).collect();
        let request = PageRequest::from_query(Some("pageNum=2&itemsPerPage=2")).unwrap();
        let body = page(&items, request, "http://h", "/x");
        assert_eq!(body["results"], json!([{ "i": 2 }, { "i": 3 }]));
        assert_eq!(body["totalCount"], 5);
        let last = page(&items, PageRequest::from_query(Some("pageNum=3&itemsPerPage=2")).unwrap(), "", "/x");
        assert_eq!(last["results"].as_array().unwrap().len(), 1);
        let uncounted = PageRequest::from_query(Some("includeCount=false")).unwrap();
        assert!(page(&items, uncounted, "", "/x").get("totalCount").is_none());
        assert!(PageRequest::from_query(Some("itemsPerPage=501")).is_err());
        assert!(PageRequest::from_query(Some("pageNum=x")).is_err());
    }

    #[test]
    fn removing_an_item_removes_what_is_under_it() {
        let mut resources = Resources::default();
        resources.put("/keys", "k1", json!({}));
        resources.put("/keys/k1/accessList", "1.2.3.4", json!({}));
        resources.put("/keys", "k1", json!({ "replaced": true }));
        assert_eq!(resources.list("/keys").len(), 1, "a second create replaces");
        assert!(resources.remove("/keys", "k1"));
        assert!(resources.is_empty());
        assert!(!resources.remove("/keys", "k1"));
    }

    #[test]
    fn timestamps_are_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_675), (2026, 8, 10));
        assert!(timestamp().ends_with('Z'));
    }
}
