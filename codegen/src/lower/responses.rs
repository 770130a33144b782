//! Responses: which statuses succeed, what their bodies and headers are, the `Accept` header, and the
//! error body type.

use openapiv3::{ParameterSchemaOrContent, ReferenceOr, SchemaKind, StatusCode, Type};

use super::Lowering;
use super::schema::SchemaRef;
use crate::diagnostics::escape_token;
use crate::model::{HeaderField, IntegerWidth, Success, TypeRef};
use crate::naming::snake;

/// How a media type is read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MediaKind {
    /// JSON, optionally with a version (`application/vnd.<vendor>.<version>+json`).
    Json {
        version: Option<String>,
    },
    Other,
}

/// Classifies a media type. A vendor type `application/vnd.<vendor>.<version>+json` is JSON whose
/// version is whatever follows the last `.` before `+json` (a date like `2023-01-01`, or `preview`).
pub(crate) fn media_kind(media_type: &str) -> MediaKind {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if essence == "application/json" {
        return MediaKind::Json { version: None };
    }
    let Some(subtype) = essence.strip_prefix("application/").and_then(|s| s.strip_suffix("+json")) else {
        return MediaKind::Other;
    };
    let version = subtype
        .strip_prefix("vnd.")
        .and_then(|vendor| vendor.split_once('.'))
        .map(|(_, version)| version.to_owned())
        .filter(|v| !v.is_empty());
    MediaKind::Json { version }
}

/// Newest first: dated versions sort as text; `preview` only when nothing else is offered.
fn preferred(versions: &[String]) -> Option<&String> {
    versions.iter().filter(|v| v.as_str() != "preview").max().or_else(|| versions.first())
}

impl<'a> Lowering<'a> {
    /// Returns the success shape, the `Accept` header, every version offered, and the documented statuses.
    pub(super) fn lower_responses(
        &mut self,
        operation: &'a openapiv3::Operation,
        at: &str,
        op_type: &str,
    ) -> (Success, String, Vec<String>, Vec<String>) {
        let mut statuses = Vec::new();
        let mut success_entries = Vec::new();
        let responses_at = format!("{at}/responses");
        let all = operation
            .responses
            .responses
            .iter()
            .map(|(code, response)| (status_label(code), is_success(code), response))
            .chain(operation.responses.default.iter().map(|response| ("default".to_owned(), false, response)));
        for (label, success, response) in all {
            let here = format!("{responses_at}/{}", escape_token(&label));
            statuses.push(label);
            let Some((response, here)) = self.resolve(response, &here, "responses", |c| &c.responses) else { continue };
            if success {
                success_entries.push((response, here));
            } else {
                let hint =
                    crate::naming::pascal(&format!("{op_type} error {}", statuses.last().map_or("", String::as_str)));
                self.lower_error_response(response, &here, &hint);
            }
        }
        if success_entries.is_empty() {
            self.error(&responses_at, "no 2xx response is documented, so success cannot be recognised");
        }

        // Every JSON media type of every success answer, with its version and schema.
        let mut offered = Vec::new();
        let mut versions: Vec<String> = Vec::new();
        let mut headers: Vec<HeaderField> = Vec::new();
        for (response, here) in &success_entries {
            for (media_type, content) in &response.content {
                let content_at = format!("{here}/content/{}", escape_token(media_type));
                match media_kind(media_type) {
                    MediaKind::Json { version } => {
                        if let Some(version) = &version
                            && !versions.contains(version)
                        {
                            versions.push(version.clone());
                        }
                        offered.push((media_type.clone(), version, content.schema.as_ref(), content_at));
                    }
                    MediaKind::Other => {
                        self.error(
                            content_at,
                            format!("response content type `{media_type}` is not supported yet (only JSON)"),
                        );
                    }
                }
            }
            self.lower_headers(response, here, &mut headers);
        }
        versions.sort();

        let chosen_version = preferred(&versions).cloned();
        let chosen: Vec<_> = offered.iter().filter(|(_, version, _, _)| *version == chosen_version).collect();
        let accept =
            chosen.first().map(|(media_type, ..)| media_type.clone()).unwrap_or_else(|| "application/json".to_owned());
        let mut body: Option<TypeRef> = None;
        for (_, _, schema, content_at) in &chosen {
            let Some(schema) = schema else { continue };
            let ty =
                self.type_of(SchemaRef::from(*schema), &format!("{content_at}/schema"), &format!("{op_type}Response"));
            match &body {
                Some(existing) if *existing != ty => {
                    self.error(content_at.clone(), "success answers with different body types are not supported yet");
                }
                _ => body = Some(ty),
            }
        }
        if body.is_some() {
            for (response, here) in &success_entries {
                if response.content.values().all(|content| content.schema.is_none()) {
                    self.error(
                        here.clone(),
                        "success answers with and without a body in one operation are not supported yet",
                    );
                }
            }
        }
        (Success { body, headers }, accept, versions, statuses)
    }

    fn lower_error_response(&mut self, response: &'a openapiv3::Response, at: &str, hint: &str) {
        for (media_type, content) in &response.content {
            let content_at = format!("{at}/content/{}", escape_token(media_type));
            if let (MediaKind::Json { .. }, Some(schema)) = (media_kind(media_type), &content.schema) {
                let ty = self.type_of(SchemaRef::from(schema), &format!("{content_at}/schema"), hint);
                self.error_bodies.insert(ty);
            }
        }
    }

    fn lower_headers(&mut self, response: &'a openapiv3::Response, at: &str, out: &mut Vec<HeaderField>) {
        for (name, header) in &response.headers {
            let here = format!("{at}/headers/{}", escape_token(name));
            let Some((header, here)) = self.resolve(header, &here, "headers", |c| &c.headers) else { continue };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => match &schema.schema_kind {
                    SchemaKind::Type(Type::Integer(_)) => TypeRef::Integer(IntegerWidth::I64),
                    SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
                    SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
                    SchemaKind::Type(Type::String(_)) => TypeRef::String,
                    _ => {
                        self.error(
                            format!("{here}/schema"),
                            format!("header `{name}` must be a string, integer, number or boolean"),
                        );
                        continue;
                    }
                },
                _ => {
                    self.error(&here, format!("header `{name}` needs an inline scalar `schema`"));
                    continue;
                }
            };
            let field = HeaderField {
                wire_name: name.clone(),
                rust_name: snake(name),
                ty,
                description: header.description.clone(),
            };
            match out.iter().find(|h| h.rust_name == field.rust_name) {
                Some(existing) if existing.ty != field.ty => {
                    self.error(&here, format!("header `{name}` has different types in different success answers"));
                }
                Some(_) => {}
                None => out.push(field),
            }
        }
    }
}

fn status_label(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_versions_are_json() {
        assert_eq!(
            media_kind("application/vnd.atlas.2023-01-01+json"),
            MediaKind::Json { version: Some("2023-01-01".into()) }
        );
        assert_eq!(
            media_kind("application/vnd.atlas.preview+json"),
            MediaKind::Json { version: Some("preview".into()) }
        );
        assert_eq!(media_kind("application/json; charset=utf-8"), MediaKind::Json { version: None });
        assert_eq!(media_kind("application/problem+json"), MediaKind::Json { version: None });
        assert_eq!(media_kind("application/vnd.atlas.2023-01-01+csv"), MediaKind::Other);
    }

    #[test]
    fn newest_dated_version_wins_over_preview() {
        let versions = vec!["2023-01-01".to_owned(), "2024-08-05".to_owned(), "preview".to_owned()];
        assert_eq!(preferred(&versions).map(String::as_str), Some("2024-08-05"));
        assert_eq!(preferred(&["preview".to_owned()]).map(String::as_str), Some("preview"));
    }
}
