//! Operations: a method on the client per operation, a request builder, and the success headers type.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_lines};
use super::type_tokens;
use crate::model::{Api, Operation, Param, ParamLocation, PathPart, SecurityKind, TypeRef};
use crate::naming::ident;

pub(super) fn emit(api: &Api) -> TokenStream {
    let operations = api.operations.values().map(operation);
    quote! {
        //! One method on [`crate::runtime::Client`] per operation, each returning a request builder.
        #(#operations)*
    }
}

fn operation(op: &Operation) -> TokenStream {
    let builder = ident(&op.type_name);
    let method = ident(&op.method_name);
    let headers_name = format_ident!("{}Headers", op.type_name);
    let (headers_type, headers_def) = headers(op, &headers_name);
    let body_type = match &op.success.body {
        Some(ty) => type_tokens(ty, &quote!(super)),
        None => quote!(()),
    };
    let output = quote!(crate::runtime::ApiResponse<#body_type, #headers_type>);

    let args = op.required_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = argument_type(&p.ty);
        quote!(#name: #ty)
    });
    let inits = op.required_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let value = stored_value(&p.ty, &quote!(#name));
        quote!(#name: #value,)
    });
    let optional_inits = op.optional_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        quote!(#name: None,)
    });
    let required_fields = op.required_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, &quote!(super));
        quote!(#name: #ty,)
    });
    let optional_fields = op.optional_params.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, &quote!(super));
        quote!(#name: Option<#ty>,)
    });
    let setters = op.optional_params.iter().map(setter);

    let deprecated = op.docs.deprecated.then(|| {
        let note = format!("{} is deprecated in the API spec", op.operation_id);
        quote!(#[deprecated(note = #note)])
    });
    let method_docs = doc_attrs(&method_doc_lines(op));
    let builder_docs = doc_attrs(&[
        format!("A `{}` request, built by [`crate::runtime::Client::{}`].", op.operation_id, op.method_name),
        String::new(),
        "Set optional parameters with its methods, then call [`Self::send`].".to_owned(),
    ]);
    let send = send(op, &output);

    quote! {
        impl crate::runtime::Client {
            #method_docs
            #deprecated
            pub fn #method(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits)*
                    #(#optional_inits)*
                }
            }
        }

        #builder_docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a crate::runtime::Client,
            #(#required_fields)*
            #(#optional_fields)*
        }

        impl #builder<'_> {
            #(#setters)*
            #send
        }

        #headers_def
    }
}

fn method_doc_lines(op: &Operation) -> Vec<String> {
    let mut lines = doc_lines(&op.docs, &format!("Calls `{}`.", op.operation_id));
    lines.push(String::new());
    lines.push(format!(
        "- Request: `{} {}` (operationId `{}`), `Accept: {}`",
        op.http_method, op.path, op.operation_id, op.accept
    ));
    lines.push(format!("- Documented answers: {}", op.documented_statuses.join(", ")));
    if !op.versions.is_empty() {
        lines.push(format!("- API versions offered: {}", op.versions.join(", ")));
    }
    if !op.security.is_empty() {
        let kinds: Vec<&str> = op.security.iter().map(|k| security_name(*k)).collect();
        lines.push(format!("- Accepted credentials: {}", kinds.join(", ")));
    }
    if op.docs.deprecated {
        lines.push(String::new());
        lines.push("Deprecated in the API spec.".to_owned());
    }
    lines
}

fn security_name(kind: SecurityKind) -> &'static str {
    match kind {
        SecurityKind::HttpDigest => "HTTP Digest",
        SecurityKind::HttpBasic => "HTTP Basic",
        SecurityKind::HttpBearer => "bearer token",
        SecurityKind::OAuth2ClientCredentials => "OAuth 2.0 client credentials",
    }
}

fn security_tokens(kind: SecurityKind) -> TokenStream {
    match kind {
        SecurityKind::HttpDigest => quote!(crate::runtime::SecurityScheme::HttpDigest),
        SecurityKind::HttpBasic => quote!(crate::runtime::SecurityScheme::HttpBasic),
        SecurityKind::HttpBearer => quote!(crate::runtime::SecurityScheme::HttpBearer),
        SecurityKind::OAuth2ClientCredentials => quote!(crate::runtime::SecurityScheme::OAuth2ClientCredentials),
    }
}

/// Required ids and strings are borrowed (`&OrgId`, `&str`); everything else is taken by value.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Id(_) => {
            let ty = type_tokens(ty, &quote!(super));
            quote!(&#ty)
        }
        TypeRef::String => quote!(&str),
        other => type_tokens(other, &quote!(super)),
    }
}

fn stored_value(ty: &TypeRef, name: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Id(_) => quote!(#name.clone()),
        TypeRef::String => quote!(#name.to_owned()),
        _ => quote!(#name),
    }
}

fn setter(param: &Param) -> TokenStream {
    let name = ident(&param.rust_name);
    let mut lines = doc_lines(&param.docs, &format!("Sets the `{}` query parameter.", param.wire_name));
    if let Some(default) = &param.default {
        lines.push(String::new());
        lines.push(format!("The service's default: `{default}`."));
    }
    let docs = doc_attrs(&lines);
    let (arg, value) = match &param.ty {
        TypeRef::Id(_) | TypeRef::String => (argument_type(&param.ty), stored_value(&param.ty, &quote!(value))),
        other => (type_tokens(other, &quote!(super)), quote!(value)),
    };
    quote! {
        #docs
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

fn send(op: &Operation, output: &TokenStream) -> TokenStream {
    let operation_id = &op.operation_id;
    let method = format_ident!("{}", op.http_method);
    let template = &op.path;
    let accept = &op.accept;
    let pieces = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(#text),
        PathPart::Param(rust_name) => {
            let name = ident(rust_name);
            let param = op.required_params.iter().find(|p| &p.rust_name == rust_name);
            let text = match param.map(|p| &p.ty) {
                Some(TypeRef::Id(_)) => quote!(self.#name.as_str()),
                Some(TypeRef::String) => quote!(&self.#name),
                _ => quote!(&self.#name.to_string()),
            };
            quote!(&crate::runtime::encode_path_segment(#text))
        }
    });
    let security = op.security.iter().map(|k| security_tokens(*k));
    let queries =
        op.required_params.iter().chain(&op.optional_params).filter(|p| p.location == ParamLocation::Query).map(|p| {
            let optional = op.optional_params.iter().any(|o| o.rust_name == p.rust_name);
            query(p, optional)
        });
    let decode = match &op.success.body {
        Some(_) => quote!(decode_json),
        None => quote!(decode_empty),
    };
    let mutability = op
        .required_params
        .iter()
        .chain(&op.optional_params)
        .any(|p| p.location == ParamLocation::Query)
        .then(|| quote!(mut));
    quote! {
        /// Sends the request and decodes the answer.
        pub async fn send(self) -> Result<#output, super::Error> {
            let path = [#(#pieces),*].concat();
            let #mutability request = crate::runtime::OperationRequest::new(
                #operation_id,
                reqwest::Method::#method,
                #template,
                path,
                #accept,
                &[#(#security),*],
            );
            #(#queries)*
            self.client.execute(request).await?.#decode()
        }
    }
}

fn query(param: &Param, optional: bool) -> TokenStream {
    let name = ident(&param.rust_name);
    let wire = &param.wire_name;
    let value = |v: TokenStream| match &param.ty {
        TypeRef::Id(_) => quote!(#v.as_str()),
        _ => v,
    };
    let push = |v: TokenStream| match &param.ty {
        TypeRef::Array(_) => quote! {
            for item in #v {
                request = request.query(#wire, item);
            }
        },
        _ => {
            let v = value(v);
            quote!(request = request.query(#wire, #v);)
        }
    };
    if optional {
        let body = push(quote!(value));
        quote! {
            if let Some(value) = &self.#name {
                #body
            }
        }
    } else {
        push(quote!(&self.#name))
    }
}

fn headers(op: &Operation, name: &Ident) -> (TokenStream, TokenStream) {
    if op.success.headers.is_empty() {
        return (quote!(()), TokenStream::new());
    }
    let doc = format!(
        " Headers documented for a successful `{}` answer; each is `None` when the service omits it.",
        op.operation_id
    );
    let fields = op.success.headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        let ty = type_tokens(&h.ty, &quote!(super));
        let lines = match &h.description {
            Some(d) => vec![format!("`{}`: {}", h.wire_name, d.trim())],
            None => vec![format!("The `{}` header.", h.wire_name)],
        };
        let docs = doc_attrs(&lines);
        quote! {
            #docs
            pub #field: Option<#ty>,
        }
    });
    let reads = op.success.headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        let wire = &h.wire_name;
        quote!(#field: crate::runtime::header_value(headers, #wire),)
    });
    let def = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl crate::runtime::ResponseHeaders for #name {
            fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
                Self {
                    #(#reads)*
                }
            }
        }
    };
    (quote!(#name), def)
}
