//! Schemas from the value tree into the schema graph: each schema object is read once, its keywords checked
//! for shape, and every schema it names (properties, items, composition branches, `$ref` targets,
//! discriminator mappings) interned and queued. The queue is a loop, not recursion: a chain of any length
//! of `$ref`s costs one loop turn per link and no stack.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::{Additional, Discriminator, JsonType, Schema, SchemaGraph, SchemaId};
use crate::spec::limits::{MAX_ENUM_VALUES, MAX_PROPERTIES, MAX_SCHEMAS};
use crate::spec::pointer::{child, local_ref, unescape};

/// Builds the schema graph: intern schemas by pointer while lowering operations, then read them all.
#[derive(Default)]
pub(super) struct SchemaReader {
    graph: SchemaGraph,
    by_pointer: HashMap<String, SchemaId>,
    queue: Vec<SchemaId>,
    over_limit: bool,
}

impl SchemaReader {
    /// The id of the schema at `pointer`, queued for reading the first time it is seen.
    pub(super) fn intern(&mut self, pointer: String) -> SchemaId {
        if let Some(id) = self.by_pointer.get(&pointer) {
            return *id;
        }
        let id = self.graph.nodes.len();
        let component = pointer.strip_prefix("/components/schemas/").filter(|name| !name.contains('/')).map(unescape);
        self.graph.nodes.push(Schema { pointer: pointer.clone(), component, ..Schema::default() });
        self.by_pointer.insert(pointer, id);
        self.queue.push(id);
        id
    }

    /// Reads every queued schema (and what they reach) from `root`.
    pub(super) fn read_all(mut self, root: &Value, diagnostics: &mut Diagnostics) -> SchemaGraph {
        while let Some(id) = self.queue.pop() {
            if self.graph.nodes.len() > MAX_SCHEMAS {
                if !self.over_limit {
                    self.over_limit = true;
                    let at = self.graph.nodes[id].pointer.clone();
                    diagnostics.push(at, format!("the document reaches more than {MAX_SCHEMAS} schemas"));
                }
                break;
            }
            let pointer = self.graph.nodes[id].pointer.clone();
            match root.pointer(&pointer) {
                Some(Value::Object(_)) => {
                    let value = root.pointer(&pointer).unwrap_or(&Value::Null);
                    let schema = self.read_one(root, value, &pointer, diagnostics);
                    let component = self.graph.nodes[id].component.take();
                    self.graph.nodes[id] = Schema { component, ..schema };
                }
                Some(_) => diagnostics.push(pointer, "a schema must be a mapping"),
                None => diagnostics.push(pointer, "no schema is here"),
            }
        }
        self.graph
    }

    fn read_one(&mut self, root: &Value, value: &Value, at: &str, diagnostics: &mut Diagnostics) -> Schema {
        let mut schema = Schema { pointer: at.to_owned(), ..Schema::default() };
        let mut keywords = Keywords { value, at, diagnostics };
        if let Some(reference) = keywords.string("$ref") {
            match local_ref(&reference) {
                Some(target) if root.pointer(target).is_some() => {
                    schema.reference = Some(self.intern(target.to_owned()));
                }
                Some(_) => keywords.error("$ref", format!("`{reference}` does not resolve")),
                None => keywords.error(
                    "$ref",
                    format!("`{reference}` points into another document; only local references (`#/...`) are read"),
                ),
            }
            schema.description = keywords.string("description");
            return schema;
        }
        schema.json_type = keywords.json_type();
        schema.format = keywords.string("format");
        schema.nullable = keywords.boolean("nullable");
        schema.read_only = keywords.boolean("readOnly");
        schema.write_only = keywords.boolean("writeOnly");
        schema.deprecated = keywords.boolean("deprecated");
        schema.sensitive = keywords.boolean("x-sensitive");
        schema.description = keywords.string("description");
        schema.pattern = keywords.string("pattern");
        schema.min_length = keywords.unsigned("minLength");
        schema.max_length = keywords.unsigned("maxLength");
        schema.default = value.get("default").cloned();
        if let Some(values) = keywords.array("enum") {
            if values.len() > MAX_ENUM_VALUES {
                keywords.error("enum", format!("{} values; at most {MAX_ENUM_VALUES} are read", values.len()));
            } else {
                schema.enum_values = Some(values.iter().filter(|v| !v.is_null()).cloned().collect());
            }
        }
        if let Some(required) = keywords.array("required") {
            for (index, name) in required.iter().enumerate() {
                match name.as_str() {
                    Some(name) => schema.required.push(name.to_owned()),
                    None => keywords.error(&format!("required/{index}"), "a required property name must be a string"),
                }
            }
        }
        match value.get("properties") {
            None => {}
            Some(Value::Object(properties)) if properties.len() > MAX_PROPERTIES => keywords
                .error("properties", format!("{} properties; at most {MAX_PROPERTIES} are read", properties.len())),
            Some(Value::Object(properties)) => {
                let base = child(at, "properties");
                for (name, property) in properties {
                    let here = child(&base, name);
                    if property.is_object() {
                        schema.properties.push((name.clone(), self.intern(here)));
                    } else {
                        keywords.diagnostics.push(here, "a property's schema must be a mapping");
                    }
                }
            }
            Some(_) => keywords.error("properties", "`properties` must be a mapping"),
        }
        schema.additional = match value.get("additionalProperties") {
            None => Additional::Unspecified,
            Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Object(entries)) if entries.is_empty() => Additional::Any,
            Some(Value::Object(_)) => Additional::Schema(self.intern(child(at, "additionalProperties"))),
            Some(_) => {
                keywords.error("additionalProperties", "`additionalProperties` must be a boolean or a schema");
                Additional::Unspecified
            }
        };
        match value.get("items") {
            None => {}
            Some(Value::Object(_)) => schema.items = Some(self.intern(child(at, "items"))),
            Some(_) => keywords.error("items", "`items` must be one schema (a list of schemas is not OpenAPI 3.0)"),
        }
        for (keyword, list) in
            [("allOf", &mut schema.all_of), ("oneOf", &mut schema.one_of), ("anyOf", &mut schema.any_of)]
        {
            match value.get(keyword) {
                None => {}
                Some(Value::Array(branches)) => {
                    let base = child(at, keyword);
                    for (index, branch) in branches.iter().enumerate() {
                        let here = format!("{base}/{index}");
                        if branch.is_object() {
                            list.push(self.intern(here));
                        } else {
                            keywords.diagnostics.push(here, format!("each `{keyword}` branch must be a schema"));
                        }
                    }
                }
                Some(_) => keywords.error(keyword, format!("`{keyword}` must be a list of schemas")),
            }
        }
        schema.discriminator = self.discriminator(root, value, at, keywords.diagnostics);
        schema
    }

    fn discriminator(
        &mut self,
        root: &Value,
        value: &Value,
        at: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Discriminator> {
        let discriminator = value.get("discriminator")?;
        let here = child(at, "discriminator");
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            diagnostics.push(here, "a discriminator needs a `propertyName` string");
            return None;
        };
        let mut mapping = Vec::new();
        if let Some(entries) = discriminator.get("mapping") {
            let Some(entries) = entries.as_object() else {
                diagnostics.push(child(&here, "mapping"), "a discriminator `mapping` must be a mapping");
                return None;
            };
            for (tag, target) in entries {
                let target_at = child(&child(&here, "mapping"), tag);
                let Some(target) = target.as_str() else {
                    diagnostics.push(target_at, "a mapping value must be a schema name or reference");
                    continue;
                };
                // A bare name means a component schema (OpenAPI 3.0 §4.7.25).
                let pointer = match local_ref(target) {
                    Some(pointer) => pointer.to_owned(),
                    None if !target.contains(['#', '/']) => child("/components/schemas", target),
                    None => {
                        diagnostics.push(target_at, format!("`{target}` points into another document"));
                        continue;
                    }
                };
                if root.pointer(&pointer).is_none() {
                    diagnostics.push(target_at, format!("`{target}` does not resolve"));
                    continue;
                }
                mapping.push((tag.clone(), self.intern(pointer)));
            }
        }
        Some(Discriminator { property: property.to_owned(), mapping })
    }
}

/// Reads one schema's keywords, reporting the ones of the wrong shape at their own pointer.
struct Keywords<'a, 'd> {
    value: &'a Value,
    at: &'a str,
    diagnostics: &'d mut Diagnostics,
}

impl<'a> Keywords<'a, '_> {
    fn error(&mut self, keyword: &str, message: impl Into<String>) {
        let pointer = if keyword.contains('/') { format!("{}/{keyword}", self.at) } else { child(self.at, keyword) };
        self.diagnostics.push(pointer, message);
    }

    fn string(&mut self, keyword: &str) -> Option<String> {
        match self.value.get(keyword)? {
            Value::String(text) => Some(text.clone()),
            _ => {
                self.error(keyword, format!("`{keyword}` must be a string"));
                None
            }
        }
    }

    fn boolean(&mut self, keyword: &str) -> bool {
        match self.value.get(keyword) {
            None => false,
            Some(Value::Bool(flag)) => *flag,
            Some(_) => {
                self.error(keyword, format!("`{keyword}` must be true or false"));
                false
            }
        }
    }

    fn unsigned(&mut self, keyword: &str) -> Option<u64> {
        let value = self.value.get(keyword)?;
        match value.as_u64().or_else(|| value.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64)) {
            Some(number) => Some(number),
            None => {
                self.error(keyword, format!("`{keyword}` must be a non-negative integer"));
                None
            }
        }
    }

    fn array(&mut self, keyword: &str) -> Option<&'a Vec<Value>> {
        let value: &'a Value = self.value;
        match value.get(keyword)? {
            Value::Array(items) => Some(items),
            _ => {
                self.error(keyword, format!("`{keyword}` must be a list"));
                None
            }
        }
    }

    fn json_type(&mut self) -> Option<JsonType> {
        match self.value.get("type")? {
            Value::String(name) => match name.as_str() {
                "string" => Some(JsonType::String),
                "integer" => Some(JsonType::Integer),
                "number" => Some(JsonType::Number),
                "boolean" => Some(JsonType::Boolean),
                "array" => Some(JsonType::Array),
                "object" => Some(JsonType::Object),
                other => {
                    self.error("type", format!("`{other}` is not an OpenAPI 3.0 type"));
                    None
                }
            },
            Value::Array(_) => {
                self.error(
                    "type",
                    "a list of types is OpenAPI 3.1; OpenAPI 3.0 has one `type` (and `nullable: true` for null)",
                );
                None
            }
            _ => {
                self.error("type", "`type` must be a string");
                None
            }
        }
    }
}
