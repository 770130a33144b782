//! Answering an operation of the spec the local Atlas was given (the operations the three hand-written
//! routes do not cover).
//!
//! What the operation does is read from its method and path, the way the API is plainly CRUD:
//!
//! | request | action |
//! |---|---|
//! | `POST …/things` | create an item in the collection `…/things` (an array body creates each) |
//! | `GET …/things`, answered by a list (`results`) | one page of the collection, Atlas's pagination |
//! | `GET …/things/{id}` | the item, or Atlas's missing-resource error |
//! | `PATCH` / `PUT …/things/{id}` | merge into / replace the item |
//! | `DELETE …/things/{id}` | remove the item and everything under it |
//! | `GET` / `PATCH` / `PUT …/settings` (not a list) | a singleton: read (the documented shape until set), merge, replace |
//! | anything else | the documented success, with a body made from its schema |
//!
//! Parents are checked on the way: an `{orgId}` or `{groupId}` must exist and the caller must belong to
//! it (the live bodies of `ORG_NOT_FOUND`, `GROUP_NOT_FOUND`, `USER_UNAUTHORIZED`), and an item of a
//! collection this spec creates into must exist. Organization API keys are the same keys the digest check
//! uses (`api_keys.rs`). Ids are Atlas's 24 hex digits, or the value the path names (an access list's
//! `ipAddress`, a cluster's `name`).

use serde_json::{Map, Value, json};

use super::answer::{Answer, Flags};
use super::api_keys::{self, ORG_API_KEYS};
use super::encoding::percent_decode;
use super::resources::{PageRequest, object_id, page, self_link, timestamp};
use super::seed::is_id;
use super::spec::{ApiSpec, SpecOperation, is_placeholder, resolve};
use super::state::{AtlasState, Principal};

/// How deep a body is made from a schema (recursive schemas stop here).
const MAX_EXAMPLE_DEPTH: usize = 6;

/// One request to a spec operation.
pub(crate) struct SpecRequest<'a> {
    pub(crate) operation: &'a SpecOperation,
    /// The path as sent (percent-encoded).
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) accept: Option<&'a str>,
    pub(crate) body: &'a [u8],
    /// `http://host:port`, for links.
    pub(crate) base_url: &'a str,
    pub(crate) flags: Flags,
    pub(crate) principal: &'a Principal,
}

/// What the operation does to which resource (paths decoded).
enum Action {
    Create { collection: String, template: String },
    List { collection: String, template: String },
    Get { collection: String, template: String, id: String },
    Update { collection: String, template: String, id: String, replace: bool },
    Delete { collection: String, template: String, id: String },
    Singleton { path: String, write: Option<bool> },
    Other,
}

/// Serves one request; every problem is an Atlas error answer.
pub(crate) fn serve(state: &mut AtlasState, spec: &ApiSpec, request: &SpecRequest<'_>) -> Answer {
    let operation = request.operation;
    let segments: Vec<String> =
        request.path.trim_start_matches('/').split('/').map(|segment| percent_decode(segment, false)).collect();
    let template: Vec<&str> = operation.path_template.trim_start_matches('/').split('/').collect();
    if let Err(refused) = check_parents(state, spec, request, &template, &segments) {
        return refused;
    }
    let body = match parse_body(operation, request.body, request.flags) {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let flags = request.flags;
    let success = |document: Option<&Value>| {
        let answer = operation.successes.first();
        let status = answer.map_or(200, |a| a.status);
        let document = if status == 204 { None } else { document };
        Answer::success(status, &content_type(operation, request.accept), document, flags)
    };
    let base = request.base_url;
    match classify(spec, operation, &template, &segments) {
        Action::Create { template, .. } if template == ORG_API_KEYS => {
            match api_keys::create(state, base, &segments[4], body.as_ref().unwrap_or(&Value::Null)) {
                Ok(created) => success(Some(&created)),
                Err((status, code, detail)) => Answer::error(status, code, &detail, Vec::new(), flags),
            }
        }
        Action::List { template, .. } if template == ORG_API_KEYS => match PageRequest::from_query(request.query) {
            Ok(page) => success(Some(&api_keys::list(state, base, &segments[4], page))),
            Err(detail) => Answer::error(400, "INVALID_QUERY_PARAMETER", &detail, Vec::new(), flags),
        },
        Action::Get { template, id, .. } if template == ORG_API_KEYS => {
            match api_keys::get(state, base, &segments[4], &id) {
                Some(key) => success(Some(&key)),
                None => missing(&template, &id, flags),
            }
        }
        Action::Update { template, id, .. } if template == ORG_API_KEYS => {
            match api_keys::update(state, base, &segments[4], &id, body.as_ref().unwrap_or(&Value::Null)) {
                Some(key) => success(Some(&key)),
                None => missing(&template, &id, flags),
            }
        }
        Action::Create { collection, template } => {
            let items = match body {
                Some(Value::Array(items)) => items,
                Some(item) => vec![item],
                None => vec![json!({})],
            };
            let item_param = item_parameter(spec, &template);
            let mut created = Vec::new();
            for item in items {
                let (id, item) = new_item(item, item_param.as_deref(), &collection, base);
                state.resources.put(&collection, &id, item.clone());
                created.push(item);
            }
            if answers_with_a_list(operation, spec) {
                let items: Vec<Value> = state.resources.list(&collection).iter().map(|(_, v)| v.clone()).collect();
                let page_request = PageRequest::from_query(request.query).unwrap_or(DEFAULT_PAGE);
                success(Some(&page(&items, page_request, base, &collection)))
            } else {
                success(created.first())
            }
        }
        Action::List { collection, .. } => match PageRequest::from_query(request.query) {
            Ok(page_request) => {
                let items: Vec<Value> = state.resources.list(&collection).iter().map(|(_, v)| v.clone()).collect();
                success(Some(&page(&items, page_request, base, &collection)))
            }
            Err(detail) => Answer::error(400, "INVALID_QUERY_PARAMETER", &detail, Vec::new(), flags),
        },
        Action::Get { collection, template, id } => match state.resources.get(&collection, &id) {
            Some(item) => success(Some(&item.clone())),
            None => missing(&template, &id, flags),
        },
        Action::Update { collection, template, id, replace } => {
            let Some(existing) = state.resources.get(&collection, &id).cloned() else {
                return missing(&template, &id, flags);
            };
            let mut updated = if replace { body.unwrap_or(json!({})) } else { merged(existing.clone(), body) };
            if let (Some(fields), Some(old)) = (updated.as_object_mut(), existing.as_object()) {
                for key in ["id", "links", "created"] {
                    if let Some(value) = old.get(key) {
                        fields.insert(key.to_owned(), value.clone());
                    }
                }
            }
            state.resources.put(&collection, &id, updated.clone());
            success(Some(&updated))
        }
        Action::Delete { collection, template, id } => {
            if state.resources.remove(&collection, &id) {
                success(None)
            } else {
                missing(&template, &id, flags)
            }
        }
        Action::Singleton { path, write } => {
            let current = match state.resources.singleton(&path) {
                Some(value) => value.clone(),
                None => documented_body(spec, operation).unwrap_or(json!({})),
            };
            let value = match write {
                None => current,
                Some(true) => body.unwrap_or(json!({})),
                Some(false) => merged(current, body),
            };
            if write.is_some() {
                state.resources.set_singleton(&path, value.clone());
            }
            success(Some(&value))
        }
        Action::Other => success(documented_body(spec, operation).as_ref()),
    }
}

const DEFAULT_PAGE: PageRequest =
    PageRequest { page_num: 1, items_per_page: super::resources::DEFAULT_ITEMS_PER_PAGE, include_count: true };

/// Reads the operation's action from its method and path.
fn classify(spec: &ApiSpec, operation: &SpecOperation, template: &[&str], segments: &[String]) -> Action {
    let joined = |n: usize| format!("/{}", segments[..n].join("/"));
    let template_of = |n: usize| format!("/{}", template[..n].join("/"));
    let n = template.len();
    // A custom method (`…/{clusterName}:pause`, AIP-136) is an action, not a resource.
    if template.last().is_some_and(|s| s.contains(':')) {
        return Action::Other;
    }
    let last_is_placeholder = template.last().is_some_and(|s| is_placeholder(s));
    if !last_is_placeholder {
        let (collection, collection_template) = (joined(n), template_of(n));
        return match operation.method.as_str() {
            "POST" => Action::Create { collection, template: collection_template },
            "GET" if answers_with_a_list(operation, spec) => Action::List { collection, template: collection_template },
            "GET" => Action::Singleton { path: collection, write: None },
            "PATCH" => Action::Singleton { path: collection, write: Some(false) },
            "PUT" => Action::Singleton { path: collection, write: Some(true) },
            _ => Action::Other,
        };
    }
    if n < 2 || is_placeholder(template[n - 2]) {
        return Action::Other;
    }
    let (collection, collection_template, id) = (joined(n - 1), template_of(n - 1), segments[n - 1].clone());
    match operation.method.as_str() {
        "GET" => Action::Get { collection, template: collection_template, id },
        "PATCH" => Action::Update { collection, template: collection_template, id, replace: false },
        "PUT" => Action::Update { collection, template: collection_template, id, replace: true },
        "DELETE" => Action::Delete { collection, template: collection_template, id },
        _ => Action::Other,
    }
}

/// True when the operation's success is one of Atlas's list pages (`results`, an array).
fn answers_with_a_list(operation: &SpecOperation, spec: &ApiSpec) -> bool {
    let Some(schema) = operation.successes.first().and_then(|a| a.schema.as_ref()) else { return false };
    let properties = schema_properties(spec.document(), schema);
    properties
        .get("results")
        .and_then(|r| resolve(spec.document(), r))
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str)
        == Some("array")
}

/// The properties of an object schema, `allOf` branches merged.
fn schema_properties(document: &Value, schema: &Value) -> Map<String, Value> {
    let mut properties = Map::new();
    let Some(schema) = resolve(document, schema) else { return properties };
    if let Some(own) = schema.get("properties").and_then(Value::as_object) {
        properties.extend(own.clone());
    }
    for branch in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        properties.extend(schema_properties(document, branch));
    }
    properties
}

/// The placeholder that names an item of the collection at `collection_template`, from the spec's item
/// paths (`…/accessList/{ipAddress}` → `ipAddress`).
fn item_parameter(spec: &ApiSpec, collection_template: &str) -> Option<String> {
    spec.operations().iter().find_map(|op| {
        let rest = op.path_template.strip_prefix(collection_template)?.strip_prefix('/')?;
        (is_placeholder(rest) && !rest.contains('/')).then(|| rest[1..rest.len() - 1].to_owned())
    })
}

/// A created item and its id: the value the path names when the body has it (`ipAddress`, or `cidrBlock`
/// for an access list; `name` for a `…Name` parameter), else its `id`, else a new Atlas id.
fn new_item(item: Value, item_param: Option<&str>, collection: &str, base_url: &str) -> (String, Value) {
    let Value::Object(mut fields) = item else { return (object_id(), item) };
    let text = |fields: &Map<String, Value>, name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
    if collection.ends_with("/accessList") {
        // Atlas answers an access-list entry with both forms, a creation time and a use count.
        match (text(&fields, "ipAddress"), text(&fields, "cidrBlock")) {
            (Some(ip), None) => {
                fields.insert("cidrBlock".into(), json!(format!("{ip}/32")));
            }
            (None, Some(block)) if block.ends_with("/32") => {
                fields.insert("ipAddress".into(), json!(block.trim_end_matches("/32")));
            }
            _ => {}
        }
        fields.entry("created").or_insert_with(|| json!(timestamp()));
        fields.entry("count").or_insert(json!(0));
    }
    let named = item_param.and_then(|param| {
        text(&fields, param)
            .or_else(|| (param == "ipAddress").then(|| text(&fields, "cidrBlock")).flatten())
            .or_else(|| param.ends_with("Name").then(|| text(&fields, "name")).flatten())
    });
    let id = match named.or_else(|| text(&fields, "id")) {
        Some(id) => id,
        None => {
            let id = object_id();
            fields.insert("id".into(), json!(id));
            id
        }
    };
    fields.entry("links").or_insert_with(|| self_link(base_url, &format!("{collection}/{}", encode(&id))));
    (id, Value::Object(fields))
}

/// `existing` with the fields of `patch` set over it.
fn merged(existing: Value, patch: Option<Value>) -> Value {
    match (existing, patch) {
        (Value::Object(mut fields), Some(Value::Object(patch))) => {
            fields.extend(patch);
            Value::Object(fields)
        }
        (existing, None) => existing,
        (_, Some(patch)) => patch,
    }
}

/// The request body as JSON; required properties of an object body checked. `None` without a body.
fn parse_body(operation: &SpecOperation, body: &[u8], flags: Flags) -> Result<Option<Value>, Answer> {
    let refuse = |detail: String| Answer::error(400, "VALIDATION_ERROR", &detail, Vec::new(), flags);
    if body.iter().all(u8::is_ascii_whitespace) {
        if operation.body_required {
            return Err(refuse("The request body is missing.".to_owned()));
        }
        return Ok(None);
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| refuse(format!("The request body is not valid JSON: {e}.")))?;
    if let (Some(schema), Value::Object(fields)) = (&operation.request_schema, &value) {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
        {
            if !fields.contains_key(required) {
                return Err(refuse(format!("The required attribute {required} was not specified.")));
            }
        }
    }
    Ok(Some(value))
}

/// Checks the path's parents: organizations and projects exist and the caller belongs to them, and items
/// of collections the spec creates into exist.
fn check_parents(
    state: &AtlasState,
    spec: &ApiSpec,
    request: &SpecRequest<'_>,
    template: &[&str],
    segments: &[String],
) -> Result<(), Answer> {
    let flags = request.flags;
    // For an item action the last placeholder is the item, checked by the action itself.
    let last = if template.last().is_some_and(|s| is_placeholder(s)) { template.len() - 1 } else { template.len() };
    for index in 0..last {
        if !is_placeholder(template[index]) {
            continue;
        }
        let name = &template[index][1..template[index].len() - 1];
        let value = &segments[index];
        let org = match name {
            "orgId" if !is_id(value) => {
                return Err(not_found(
                    404,
                    "INVALID_ORG_ID",
                    &format!("An invalid organization ID {value} was specified."),
                    value,
                    flags,
                ));
            }
            "orgId" if !state.orgs.contains_key(value) => {
                return Err(not_found(
                    404,
                    "ORG_NOT_FOUND",
                    &format!("No organization with ID {value} exists."),
                    value,
                    flags,
                ));
            }
            "orgId" => Some(value.clone()),
            "groupId" if !is_id(value) => {
                return Err(not_found(
                    404,
                    "INVALID_GROUP_ID",
                    &format!("An invalid group ID {value} was specified."),
                    value,
                    flags,
                ));
            }
            "groupId" => match state.projects.get(value) {
                Some(org) => Some(org.clone()),
                None => {
                    return Err(not_found(
                        404,
                        "GROUP_NOT_FOUND",
                        &format!("No group with ID {value} exists."),
                        value,
                        flags,
                    ));
                }
            },
            _ => None,
        };
        if let Some(org) = org {
            if !request.principal.may_act_in(&org) {
                let detail = "Current user is not authorized to perform this action.";
                return Err(Answer::error(401, "USER_UNAUTHORIZED", detail, vec![json!(value)], flags));
            }
            continue;
        }
        if index == 0 || is_placeholder(template[index - 1]) {
            continue;
        }
        let collection_template = format!("/{}", template[..index].join("/"));
        let collection = format!("/{}", segments[..index].join("/"));
        let exists = if collection_template == ORG_API_KEYS {
            state.org_has_key(&segments[4], value)
        } else if spec.operations().iter().any(|op| op.method == "POST" && op.path_template == collection_template) {
            state.resources.get(&collection, value).is_some()
        } else {
            true
        };
        if !exists {
            return Err(missing(&collection_template, value, flags));
        }
    }
    Ok(())
}

fn not_found(status: u16, code: &str, detail: &str, value: &str, flags: Flags) -> Answer {
    Answer::error(status, code, detail, vec![json!(value)], flags)
}

/// Atlas's answer for an item that does not exist, by the collection it was looked for in: the code its
/// error-code reference documents for that kind (`API_KEY_NOT_FOUND` for API keys), else
/// `RESOURCE_NOT_FOUND`.
fn missing(collection_template: &str, id: &str, flags: Flags) -> Answer {
    let kind = collection_template.rsplit('/').next().unwrap_or_default();
    match kind {
        "apiKeys" => {
            Answer::error(400, "API_KEY_NOT_FOUND", &format!("No API key with ID {id} exists."), vec![json!(id)], flags)
        }
        _ => Answer::error(404, "RESOURCE_NOT_FOUND", &format!("Cannot find resource {id}."), vec![json!(id)], flags),
    }
}

/// The content type of the answer: the documented one the request's `Accept` names, else the first
/// documented one, with `;charset=utf-8` as the live service adds.
fn content_type(operation: &SpecOperation, accept: Option<&str>) -> String {
    let documented = operation.successes.first().map(|a| a.content_types.as_slice()).unwrap_or_default();
    let chosen = accept
        .and_then(|accept| documented.iter().find(|ct| accept.split(',').any(|a| a.trim().starts_with(ct.as_str()))))
        .or(documented.first())
        .map_or("application/json", String::as_str);
    if chosen.contains("json") { format!("{chosen};charset=utf-8") } else { chosen.to_owned() }
}

/// A body for the documented success, made from its schema: examples, defaults and first enum values where
/// the spec gives them, every required property, an empty page for a list.
fn documented_body(spec: &ApiSpec, operation: &SpecOperation) -> Option<Value> {
    let schema = operation.successes.first()?.schema.as_ref()?;
    Some(example(spec.document(), schema, 0))
}

fn example(document: &Value, schema: &Value, depth: usize) -> Value {
    let Some(schema) = resolve(document, schema) else { return Value::Null };
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
        return first.clone();
    }
    if depth >= MAX_EXAMPLE_DEPTH {
        return Value::Null;
    }
    for composed in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(composed).and_then(Value::as_array).and_then(|branches| branches.first()) {
            return example(document, first, depth + 1);
        }
    }
    let properties = schema_properties(document, schema);
    let kind = schema.get("type").and_then(Value::as_str).unwrap_or(if properties.is_empty() { "" } else { "object" });
    match kind {
        "object" => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut fields = Map::new();
            for (name, property) in &properties {
                if required.contains(&name.as_str()) || name == "results" {
                    fields.insert(name.clone(), example(document, property, depth + 1));
                }
            }
            if properties.contains_key("results") {
                fields.insert("results".into(), json!([]));
                fields.insert("totalCount".into(), json!(0));
            }
            Value::Object(fields)
        }
        "array" => json!([]),
        "string" if schema.get("format").and_then(Value::as_str) == Some("date-time") => json!(timestamp()),
        "string" => json!(""),
        "integer" | "number" => json!(0),
        "boolean" => json!(false),
        _ => json!({}),
    }
}

/// An id as it goes into a path: `/` escaped (a CIDR block's).
fn encode(id: &str) -> String {
    id.replace('%', "%25").replace('/', "%2F")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_decoded() {
        assert_eq!(encode("10.0.0.0/24"), "10.0.0.0%2F24");
    }

    #[test]
    fn access_list_entries_get_both_forms_and_are_keyed_by_address() {
        let (id, item) = new_item(json!({ "ipAddress": "192.0.2.1" }), Some("ipAddress"), "/k/accessList", "http://h");
        assert_eq!(id, "192.0.2.1");
        assert_eq!(item["cidrBlock"], "192.0.2.1/32");
        assert_eq!(item["count"], 0);
        let (id, _) = new_item(json!({ "cidrBlock": "10.0.0.0/24" }), Some("ipAddress"), "/k/accessList", "http://h");
        assert_eq!(id, "10.0.0.0/24");
        let (id, item) = new_item(json!({ "name": "x" }), None, "/things", "http://h");
        assert!(is_id(&id) && item["id"] == id.as_str());
    }

    #[test]
    fn bodies_are_made_from_schemas() {
        let document = json!({ "components": { "schemas": { "S": {
            "type": "object", "required": ["a", "b"],
            "properties": { "a": { "type": "string", "example": "x" }, "b": { "type": "integer" }, "c": { "type": "string" } }
        } } } });
        let schema = json!({ "$ref": "#/components/schemas/S" });
        assert_eq!(example(&document, &schema, 0), json!({ "a": "x", "b": 0 }));
        let recursive = json!({ "components": { "schemas": { "R": {
            "type": "object", "required": ["r"], "properties": { "r": { "$ref": "#/components/schemas/R" } }
        } } } });
        let made = example(&recursive, &json!({ "$ref": "#/components/schemas/R" }), 0);
        assert!(made.to_string().contains("null"), "a recursive schema stops: {made}");
    }
}
