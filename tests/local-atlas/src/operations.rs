//! The operations the local Atlas serves, in one table: their operationIds, requests, documented statuses
//! and the rate limit the live service reports. The local Atlas routes by it, and the project's fixture
//! loader and coverage tests read it, so an operation is added in one place.

use std::fmt;

use serde::Deserialize;

/// One API operation the local Atlas serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Operation {
    /// `DELETE /api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}`.
    #[serde(rename = "deleteOrgApiKey")]
    DeleteOrgApiKey,
    /// `DELETE /api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}`.
    #[serde(rename = "removeGroupApiKey")]
    RemoveGroupApiKey,
    /// `DELETE /api/atlas/v1.0/users/{userId}/keys/{keyId}` (legacy, deprecated).
    #[serde(rename = "deleteUserApiKey")]
    DeleteUserApiKey,
}

/// What the table says about one operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operation.
    pub operation: Operation,
    /// The spec's operationId.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path as the spec writes it, with `{placeholders}`.
    pub path_template: &'static str,
    /// The statuses the spec documents (the project's coverage test holds them to spec/atlas-admin.yaml).
    pub documented_statuses: &'static [u16],
    /// The `RateLimit-Limit` the live service reports (ATLAS-FACTS); also what the local Atlas reports when
    /// no rate limit is configured.
    pub live_rate_limit: u32,
    /// The `Content-Type` of its success answer.
    pub success_content_type: &'static str,
}

/// The table.
pub const OPERATIONS: [OperationInfo; 3] = [
    OperationInfo {
        operation: Operation::DeleteOrgApiKey,
        operation_id: "deleteOrgApiKey",
        method: "DELETE",
        path_template: "/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}",
        documented_statuses: &[204, 401, 403, 404, 429, 500],
        live_rate_limit: 500,
        success_content_type: V2_CONTENT_TYPE,
    },
    OperationInfo {
        operation: Operation::RemoveGroupApiKey,
        operation_id: "removeGroupApiKey",
        method: "DELETE",
        path_template: "/api/atlas/v2/groups/{groupId}/apiKeys/{apiUserId}",
        documented_statuses: &[204, 400, 401, 403, 404, 429, 500],
        live_rate_limit: 1200,
        success_content_type: V2_CONTENT_TYPE,
    },
    OperationInfo {
        operation: Operation::DeleteUserApiKey,
        operation_id: "deleteUserApiKey",
        method: "DELETE",
        path_template: "/api/atlas/v1.0/users/{userId}/keys/{keyId}",
        documented_statuses: &[200, 401, 410],
        live_rate_limit: 100,
        success_content_type: "application/json",
    },
];

/// `Content-Type` of a v2 answer in version 2023-01-01, as the live service writes it.
pub const V2_CONTENT_TYPE: &str = "application/vnd.atlas.2023-01-01+json;charset=utf-8";

impl Operation {
    /// Every operation, in table order.
    pub const ALL: [Operation; 3] = [OPERATIONS[0].operation, OPERATIONS[1].operation, OPERATIONS[2].operation];

    /// The operation's row of the table.
    pub fn info(self) -> &'static OperationInfo {
        OPERATIONS.iter().find(|info| info.operation == self).expect("every operation has a row")
    }

    /// The spec's operationId (also the route name in the counters).
    pub fn operation_id(self) -> &'static str {
        self.info().operation_id
    }

    /// The statuses the spec documents.
    pub fn documented_statuses(self) -> &'static [u16] {
        self.info().documented_statuses
    }

    /// The path parameters, by their spec names, in path order.
    pub fn path_parameters(self) -> Vec<&'static str> {
        template_segments(self.info().path_template).filter_map(placeholder).collect()
    }

    /// The operation whose path template `path` fills, with the path parameters' values in path order.
    /// The method is not compared: a wrong method on a known path is the caller's to answer.
    pub fn route(path: &str) -> Option<(Operation, Vec<String>)> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        OPERATIONS.iter().find_map(|info| {
            let template: Vec<&str> = template_segments(info.path_template).collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut values = Vec::new();
            for (expected, actual) in template.iter().zip(&segments) {
                match placeholder(expected) {
                    Some(_) if !actual.is_empty() => values.push((*actual).to_owned()),
                    None if expected == actual => {}
                    _ => return None,
                }
            }
            Some((info.operation, values))
        })
    }

    /// The path with `values` filled in for the placeholders, in order.
    pub fn path(self, values: &[&str]) -> String {
        let mut values = values.iter();
        let segments: Vec<String> = template_segments(self.info().path_template)
            .map(|segment| match placeholder(segment) {
                Some(_) => values.next().map(|v| (*v).to_owned()).unwrap_or_default(),
                None => segment.to_owned(),
            })
            .collect();
        format!("/{}", segments.join("/"))
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.operation_id())
    }
}

fn template_segments(template: &'static str) -> impl Iterator<Item = &'static str> {
    template.trim_start_matches('/').split('/')
}

fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_to_their_operation_with_the_parameters() {
        let (operation, values) = Operation::route("/api/atlas/v2/groups/g1/apiKeys/k1").expect("a route");
        assert_eq!((operation, values), (Operation::RemoveGroupApiKey, vec!["g1".to_owned(), "k1".to_owned()]));
        assert_eq!(Operation::route("/api/atlas/v2/groups/g1/apiKeys"), None);
        assert_eq!(Operation::route("/api/atlas/v2/groups//apiKeys/k1"), None);
        assert_eq!(Operation::route("/api/atlas/v1.0/users/u/keys/k").map(|r| r.0), Some(Operation::DeleteUserApiKey));
    }

    #[test]
    fn the_table_is_consistent() {
        for (info, operation) in OPERATIONS.iter().zip(Operation::ALL) {
            assert_eq!(info.operation, operation);
            let values: Vec<String> = (0..operation.path_parameters().len()).map(|i| format!("v{i}")).collect();
            let borrowed: Vec<&str> = values.iter().map(String::as_str).collect();
            let path = operation.path(&borrowed);
            assert_eq!(Operation::route(&path), Some((operation, values)), "{path}");
        }
        assert_eq!(Operation::DeleteOrgApiKey.path_parameters(), ["orgId", "apiUserId"]);
    }
}
