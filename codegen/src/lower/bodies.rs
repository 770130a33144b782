//! Request bodies and responses: every status, every media type (with its version), every header.

use indexmap::IndexMap;
use openapiv3::{MediaType as OaMediaType, ParameterSchemaOrContent, StatusCode};

use super::Lowering;
use crate::model::{Content, Header, RequestBody, Response, Status};
use crate::spec::media::MediaType;
use crate::spec::pointer::child;

impl<'a> Lowering<'a> {
    pub(super) fn lower_request_body(&mut self, operation: &'a openapiv3::Operation, at: &str) -> Option<RequestBody> {
        let body = operation.request_body.as_ref()?;
        let (body, here) = self.resolve(body, &child(at, "requestBody"), "requestBodies", |c| &c.request_bodies)?;
        let contents = self.contents(&body.content, &here);
        if contents.is_empty() {
            self.error(child(&here, "content"), "a request body needs at least one media type");
        }
        Some(RequestBody { required: body.required, description: body.description.clone(), contents })
    }

    pub(super) fn lower_responses(&mut self, operation: &'a openapiv3::Operation, at: &str) -> Vec<Response> {
        let responses_at = child(at, "responses");
        let documented = operation
            .responses
            .responses
            .iter()
            .map(|(code, response)| (status_of(code), response))
            .chain(operation.responses.default.iter().map(|response| (Status::Default, response)));
        let mut out = Vec::new();
        for (status, response) in documented {
            let here = child(&responses_at, &status.label());
            let Some((response, here)) = self.resolve(response, &here, "responses", |c| &c.responses) else {
                continue;
            };
            let contents = self.contents(&response.content, &here);
            let mut headers = Vec::new();
            for (name, header) in &response.headers {
                let header_at = child(&child(&here, "headers"), name);
                let Some((header, header_at)) = self.resolve(header, &header_at, "headers", |c| &c.headers) else {
                    continue;
                };
                let schema = match &header.format {
                    ParameterSchemaOrContent::Schema(_) => Some(self.schemas.intern(child(&header_at, "schema"))),
                    ParameterSchemaOrContent::Content(_) => None,
                };
                headers.push(Header { name: name.clone(), schema, description: header.description.clone() });
            }
            out.push(Response { status, contents, headers });
        }
        out
    }

    fn contents(&mut self, content: &'a IndexMap<String, OaMediaType>, at: &str) -> Vec<Content> {
        let base = child(at, "content");
        content
            .iter()
            .map(|(media, entry)| {
                let here = child(&base, media);
                let schema = entry.schema.as_ref().map(|_| self.schemas.intern(child(&here, "schema")));
                let sunset = entry.extensions.get("x-sunset").and_then(serde_json::Value::as_str).map(str::to_owned);
                Content { media: MediaType::parse(media), schema, sunset, pointer: here }
            })
            .collect()
    }
}

fn status_of(code: &StatusCode) -> Status {
    match code {
        StatusCode::Code(code) => Status::Code(*code),
        StatusCode::Range(range) => Status::Range(*range),
    }
}
