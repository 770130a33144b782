//! Where a schema is, said so that it survives what does not change the wire: the record keys types by it.
//!
//! A JSON pointer names a body's schema through its media type (`.../content/application~1vnd.atlas.
//! 2023-01-01+json/schema`), which changes with every new API version, and a parameter by its position in a
//! list. A place leaves the media type out, names operations by [`crate::record::operation_key`] and
//! parameters by location and name:
//!
//! - `/components/schemas/ApiKey/properties/roles/items` → `schemas/ApiKey/properties/roles/items`
//! - `/paths/~1orgs~1{orgId}/get/responses/200/content/<media>/schema` → `GET /orgs/{} response 200`
//! - `/paths/~1orgs/post/requestBody/content/<media>/schema/properties/x` → `POST /orgs body/properties/x`
//! - `/paths/~1orgs/get/parameters/2/schema` → `GET /orgs query status`

use std::collections::HashMap;

use crate::model::{Api, Location};
use crate::record::operation_key;
use crate::spec::pointer::unescape;

/// Parameter pointers (`/paths/~1a/get/parameters/2`) → `"<in> <name>"`, for the parameters written inline.
#[derive(Debug, Default)]
pub(crate) struct Places {
    params: HashMap<String, String>,
}

impl Places {
    pub(crate) fn new(api: &Api) -> Places {
        let params = api
            .operations
            .iter()
            .flat_map(|op| &op.params)
            .map(|param| (param.pointer.clone(), param_key(param.location, &param.name)))
            .collect();
        Places { params }
    }

    /// The place of the schema at `pointer`.
    pub(crate) fn of(&self, pointer: &str) -> String {
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        match tokens.as_slice() {
            ["components", "schemas", ..] => format!("schemas/{}", tokens[2..].join("/")),
            ["components", kind @ ("responses" | "requestBodies" | "parameters" | "headers"), name, rest @ ..] => {
                format!("{kind}/{name}{}", rest_of(rest))
            }
            ["paths", path, "parameters", index, rest @ ..] => {
                let at = format!("/paths/{path}/parameters/{index}");
                let param = self.params.get(&at).cloned().unwrap_or_else(|| format!("parameter {index}"));
                format!("{} {param}{}", path_key(path), rest_of(rest))
            }
            ["paths", path, method, role @ ..] => {
                let operation = operation_key(method, &unescape(path));
                match role {
                    ["requestBody", rest @ ..] => format!("{operation} body{}", rest_of(rest)),
                    ["responses", _, "headers", header, rest @ ..] => {
                        format!("{operation} header {}{}", unescape(header), rest_of(rest))
                    }
                    ["responses", status, rest @ ..] => format!("{operation} response {status}{}", rest_of(rest)),
                    ["parameters", index, rest @ ..] => {
                        let at = format!("/paths/{path}/{method}/parameters/{index}");
                        let param = self.params.get(&at).cloned().unwrap_or_else(|| format!("parameter {index}"));
                        format!("{operation} {param}{}", rest_of(rest))
                    }
                    _ => pointer.to_owned(),
                }
            }
            _ => pointer.to_owned(),
        }
    }
}

/// The key of a parameter within its operation: `"query envelope"`.
pub(crate) fn param_key(location: Location, name: &str) -> String {
    let location = match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    };
    format!("{location} {name}")
}

/// The key of a parameter definition of the plan within its operation.
pub(crate) fn param_key_of(param: &crate::plan::ParamDef) -> String {
    let location = match param.place {
        crate::plan::ParamPlace::Path => Location::Path,
        crate::plan::ParamPlace::Query { .. } => Location::Query,
        crate::plan::ParamPlace::Header => Location::Header,
    };
    param_key(location, &param.wire_name)
}

/// A path-level place: the path template with parameter names taken out.
fn path_key(escaped_path: &str) -> String {
    operation_key("", &unescape(escaped_path)).trim_start().to_owned()
}

/// The rest of a pointer below a body or parameter, without the media type and the `schema` step that
/// lead to it.
fn rest_of(rest: &[&str]) -> String {
    let rest = match rest {
        ["content", _media, "schema", rest @ ..] => rest,
        ["schema", rest @ ..] => rest,
        other => other,
    };
    rest.iter().map(|token| format!("/{token}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_leave_out_media_types_and_name_parameters() {
        let mut places = Places::default();
        places.params.insert("/paths/~1orgs~1{orgId}/get/parameters/1".to_owned(), "query status".to_owned());
        assert_eq!(
            places.of("/paths/~1orgs~1{orgId}/get/responses/200/content/application~1vnd.atlas.2023-01-01+json/schema"),
            "GET /orgs/{} response 200"
        );
        assert_eq!(
            places.of("/paths/~1orgs/post/requestBody/content/application~1json/schema/properties/roles/items"),
            "POST /orgs body/properties/roles/items"
        );
        assert_eq!(places.of("/paths/~1orgs~1{orgId}/get/parameters/1/schema"), "GET /orgs/{} query status");
        assert_eq!(places.of("/components/schemas/ApiKey/properties/roles"), "schemas/ApiKey/properties/roles");
        assert_eq!(places.of("/components/parameters/envelope/schema"), "parameters/envelope");
        assert_eq!(places.of("/components/responses/notFound/content/application~1json/schema"), "responses/notFound");
    }
}
