//! The operations of an OpenAPI 3.0 document, as the local Atlas serves them: method, path template,
//! parameters, request body, documented answers, security. Read from the spec a client was generated from
//! (YAML or JSON text), so the local Atlas answers every operation that client has.
//!
//! Only what serving needs is read, and nothing in it can make the server fail later: a document the reader
//! cannot use is an error when it is loaded ([`ApiSpec::from_text`]), naming what is wrong.

use std::collections::BTreeMap;

use serde_json::Value;

/// How deep `$ref`s are followed before giving up (a cycle, or a chain no spec needs).
const MAX_REF_HOPS: usize = 64;

/// The operations of one OpenAPI document.
#[derive(Debug, Clone)]
pub struct ApiSpec {
    operations: Vec<SpecOperation>,
    document: Value,
}

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    /// The `operationId` (also the route name in the counters and the key of scripted answers).
    pub operation_id: String,
    /// The method, upper case.
    pub method: String,
    /// The path as the spec writes it, with `{placeholders}`.
    pub path_template: String,
    /// The path parameters in path order, with their `pattern` when they have one.
    pub path_parameters: Vec<(String, Option<String>)>,
    /// The request body's schema (`$ref`s resolved at the top), when there is a body.
    pub request_schema: Option<Value>,
    /// Whether the spec requires a request body.
    pub body_required: bool,
    /// The documented 2xx answers, lowest status first: status, content types (may be empty) and schema.
    pub successes: Vec<SpecAnswer>,
    /// False when the operation needs no credentials (`security: []`).
    pub needs_auth: bool,
}

/// One documented 2xx answer.
#[derive(Debug, Clone)]
pub struct SpecAnswer {
    /// Its status.
    pub status: u16,
    /// Its media types, e.g. `application/vnd.atlas.2023-01-01+json`.
    pub content_types: Vec<String>,
    /// Its schema (`$ref`s resolved at the top), when it has one.
    pub schema: Option<Value>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl ApiSpec {
    /// Reads an OpenAPI 3.0 document from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<ApiSpec, String> {
        let document: Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| format!("the spec is not valid JSON: {e}"))?
        } else {
            serde_yaml::from_str(text).map_err(|e| format!("the spec is not valid YAML: {e}"))?
        };
        ApiSpec::from_document(document)
    }

    /// Reads the operations of an OpenAPI 3.0 document already parsed.
    pub fn from_document(document: Value) -> Result<ApiSpec, String> {
        let paths = document.get("paths").and_then(Value::as_object).ok_or("the spec has no `paths` object")?;
        let default_security = document.get("security").and_then(Value::as_array).map(Vec::len);
        let mut operations = Vec::new();
        for (template, item) in paths {
            let item = resolve(&document, item).ok_or_else(|| format!("{template}: a `$ref` that does not resolve"))?;
            let shared: Vec<Value> = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                let at = format!("{} {template}", method.to_uppercase());
                let operation_id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{at}: no operationId"))?
                    .to_owned();
                let mut parameters = shared.clone();
                parameters.extend(operation.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default());
                let path_parameters = path_parameters(&document, template, &parameters)
                    .map_err(|problem| format!("{at} ({operation_id}): {problem}"))?;
                let (request_schema, body_required) = request_body(&document, operation);
                let security = operation.get("security").and_then(Value::as_array).map(Vec::len).or(default_security);
                operations.push(SpecOperation {
                    operation_id,
                    method: method.to_uppercase(),
                    path_template: template.clone(),
                    path_parameters,
                    request_schema,
                    body_required,
                    successes: successes(&document, operation),
                    needs_auth: security != Some(0),
                });
            }
        }
        Ok(ApiSpec { operations, document })
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> &[SpecOperation] {
        &self.operations
    }

    /// The operation with this operationId.
    pub fn operation(&self, operation_id: &str) -> Option<&SpecOperation> {
        self.operations.iter().find(|op| op.operation_id == operation_id)
    }

    /// The document, for resolving `$ref`s inside schemas.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The operations whose path template `path` fills, with the path parameters' values (as sent,
    /// percent-encoded): the most specific template wins (more literal segments, leftmost first), so
    /// `/groups/{groupId}/settings` beats `/groups/{groupId}/{anything}`. All methods of that template.
    pub fn route(&self, path: &str) -> Option<(Vec<&SpecOperation>, Vec<String>)> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        // Every operation whose template the path fills, with which of its segments are literal.
        let mut fitting: Vec<(Vec<u8>, &SpecOperation, Vec<String>)> = Vec::new();
        for operation in &self.operations {
            let template: Vec<&str> = operation.path_template.trim_start_matches('/').split('/').collect();
            if template.len() != segments.len() {
                continue;
            }
            let mut literals = Vec::with_capacity(template.len());
            let mut values = Vec::new();
            let fits = template.iter().zip(&segments).all(|(expected, actual)| match match_segment(expected, actual) {
                Some((literal, value)) => {
                    literals.push(literal);
                    values.extend(value);
                    true
                }
                None => false,
            });
            if fits {
                fitting.push((literals, operation, values));
            }
        }
        // The most specific shape wins; templates of the same shape (`{clusterName}` and `{name}` in one
        // place) are one route whose methods are all of theirs.
        let best = fitting.iter().map(|(literals, _, _)| literals.clone()).max()?;
        let values = fitting.iter().find(|(literals, _, _)| *literals == best).map(|(_, _, v)| v.clone())?;
        let operations =
            fitting.into_iter().filter(|(literals, _, _)| *literals == best).map(|(_, op, _)| op).collect();
        Some((operations, values))
    }
}

/// How a template's path segment matches a request's: its value when it holds a placeholder, and how
/// literal it is (2: literal text; 1: a placeholder inside literal text, as in `{clusterName}:pause` or
/// `{logName}.gz`; 0: a placeholder alone). `None` when it does not match.
fn match_segment(template: &str, actual: &str) -> Option<(u8, Option<String>)> {
    let (Some(open), Some(close)) = (template.find('{'), template.find('}')) else {
        return (template == actual).then_some((2, None));
    };
    let (prefix, suffix) = (&template[..open], &template[close + 1..]);
    let value = actual.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if value.is_empty() {
        return None;
    }
    Some((if prefix.is_empty() && suffix.is_empty() { 0 } else { 1 }, Some(value.to_owned())))
}

/// True for a `{placeholder}` segment.
pub fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// `value` with a `$ref` at its top followed (local references only), `None` when it does not resolve.
pub fn resolve<'a>(document: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut current = value;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { return Some(current) };
        let pointer = reference.strip_prefix('#')?;
        current = document.pointer(pointer)?;
    }
    None
}

fn path_parameters(
    document: &Value,
    template: &str,
    parameters: &[Value],
) -> Result<Vec<(String, Option<String>)>, String> {
    let mut declared = BTreeMap::new();
    for parameter in parameters {
        let parameter = resolve(document, parameter).ok_or("a parameter `$ref` that does not resolve")?;
        if parameter.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let name = parameter.get("name").and_then(Value::as_str).ok_or("a path parameter without a name")?;
        let schema = parameter.get("schema").and_then(|s| resolve(document, s));
        let pattern = schema.and_then(|s| s.get("pattern")).and_then(Value::as_str).map(str::to_owned);
        declared.insert(name.to_owned(), pattern);
    }
    template
        .trim_start_matches('/')
        .split('/')
        .filter(|segment| is_placeholder(segment))
        .map(|segment| {
            let name = &segment[1..segment.len() - 1];
            Ok((name.to_owned(), declared.get(name).cloned().flatten()))
        })
        .collect()
}

fn request_body(document: &Value, operation: &Value) -> (Option<Value>, bool) {
    let Some(body) = operation.get("requestBody").and_then(|b| resolve(document, b)) else { return (None, false) };
    let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
    let schema = body
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().find_map(|media| media.get("schema")))
        .and_then(|schema| resolve(document, schema))
        .cloned();
    (schema, required)
}

fn successes(document: &Value, operation: &Value) -> Vec<SpecAnswer> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return Vec::new() };
    let mut answers: Vec<SpecAnswer> = responses
        .iter()
        .filter_map(|(status, response)| {
            let status: u16 = status.parse().ok().filter(|s| (200..300).contains(s))?;
            let response = resolve(document, response)?;
            let content = response.get("content").and_then(Value::as_object);
            let content_types = content.map(|c| c.keys().cloned().collect()).unwrap_or_default();
            let schema = content
                .and_then(|c| c.values().find_map(|media| media.get("schema")))
                .and_then(|schema| resolve(document, schema))
                .cloned();
            Some(SpecAnswer { status, content_types, schema })
        })
        .collect();
    answers.sort_by_key(|answer| answer.status);
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.1
info: {title: t, version: "1"}
security: [{DigestAuth: []}]
components:
  parameters:
    orgId: {in: path, name: orgId, required: true, schema: {type: string, pattern: "^([a-f0-9]{24})$"}}
  schemas:
    Key: {type: object, properties: {id: {type: string}, desc: {type: string}}}
paths:
  /orgs/{orgId}/keys:
    get:
      operationId: listKeys
      parameters: [{$ref: '#/components/parameters/orgId'}]
      responses: {"200": {description: OK, content: {application/json: {schema: {type: object}}}}}
    post:
      operationId: createKey
      parameters: [{$ref: '#/components/parameters/orgId'}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Key'}}}}
      responses:
        "201": {description: Created, content: {application/json: {schema: {$ref: '#/components/schemas/Key'}}}}
        "400": {description: Bad}
  /orgs/{orgId}/keys/{keyId}:
    delete:
      operationId: deleteKey
      security: []
      parameters: [{$ref: '#/components/parameters/orgId'}, {in: path, name: keyId, required: true, schema: {type: string}}]
      responses: {"204": {description: gone}}
  /orgs/{orgId}/keys/special:
    get:
      operationId: special
      parameters: [{$ref: '#/components/parameters/orgId'}]
      responses: {"200": {description: OK}}
"#;

    #[test]
    fn operations_are_read_with_their_parameters_bodies_and_answers() {
        let spec = ApiSpec::from_text(SPEC).unwrap();
        assert_eq!(spec.operations().len(), 4);
        let create = spec.operation("createKey").unwrap();
        assert_eq!((create.method.as_str(), create.body_required), ("POST", true));
        assert_eq!(create.path_parameters, [("orgId".to_owned(), Some("^([a-f0-9]{24})$".to_owned()))]);
        assert_eq!(create.request_schema.as_ref().unwrap()["properties"]["desc"]["type"], "string");
        assert_eq!(create.successes[0].status, 201);
        assert_eq!(create.successes[0].schema.as_ref().unwrap()["type"], "object");
        assert!(create.needs_auth);
        assert!(!spec.operation("deleteKey").unwrap().needs_auth, "security: [] needs none");
    }

    #[test]
    fn the_most_specific_template_wins() {
        let spec = ApiSpec::from_text(SPEC).unwrap();
        let (operations, values) = spec.route("/orgs/o1/keys/special").unwrap();
        assert_eq!(operations[0].operation_id, "special");
        assert_eq!(values, ["o1"]);
        let (operations, values) = spec.route("/orgs/o1/keys/k1").unwrap();
        assert_eq!(operations[0].operation_id, "deleteKey");
        assert_eq!(values, ["o1", "k1"]);
        let (operations, _) = spec.route("/orgs/o1/keys").unwrap();
        assert_eq!(operations.len(), 2, "both methods of the template");
        assert!(spec.route("/orgs//keys").is_none());
        assert!(spec.route("/nothing").is_none());
    }

    #[test]
    fn broken_documents_are_errors_not_panics() {
        assert!(ApiSpec::from_text("paths: 3").unwrap_err().contains("paths"));
        assert!(ApiSpec::from_text("{").unwrap_err().contains("JSON"));
        let no_id = "paths: {/a: {get: {responses: {}}}}";
        assert!(ApiSpec::from_text(no_id).unwrap_err().contains("operationId"));
        let looped = r##"{"paths": {"/a": {"$ref": "#/paths/~1a"}}}"##;
        assert!(ApiSpec::from_text(looped).unwrap_err().contains("$ref"));
    }
}
