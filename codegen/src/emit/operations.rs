//! Operations: a method on the client per operation, its request builder, its headers type and, when its
//! 2xx answers differ, its answer enum. Builders only describe the request and name the decoder; the
//! runtime does the rest.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::type_tokens;
use crate::model::SecurityKind;
use crate::naming::ident;
use crate::plan::{BodyKind, OpDef, PageDef, ParamDef, ParamPlace, PathPiece, Plan, Success, Ty};

/// From an operations module, the generated root is two levels up.
fn root() -> TokenStream {
    quote!(super::super)
}

/// The one struct of documented response headers, in `operations`: every answer carries it.
fn headers_struct(plan: &Plan) -> TokenStream {
    let name = ident(&plan.headers.name);
    let kept = plan.headers.fields.iter().any(|h| h.kept);
    let fields = plan.headers.fields.iter().map(|h| {
        let field = ident(&h.rust_name);
        let ty = type_tokens(&h.ty, &quote!(super));
        let docs = doc_attrs(&h.docs);
        let deprecated = h.kept.then(kept_attr);
        quote! {
            #docs
            #deprecated
            pub #field: Option<#ty>,
        }
    });
    let reads = plan.headers.fields.iter().map(|h| {
        let field = ident(&h.rust_name);
        let wire = &h.wire_name;
        quote!(#field: crate::runtime::header_value(headers, #wire),)
    });
    let allow = kept.then(|| quote!(#[allow(deprecated, reason = "kept headers are read like the others")]));
    // A spec that documents no header still has the struct (so documenting one later adds a field, not a
    // type), with nothing to read.
    let param = if plan.headers.fields.is_empty() { quote!(_headers) } else { quote!(headers) };
    quote! {
        /// The response headers the spec documents for successful answers (of any operation); each is `None`
        /// when an answer leaves it out.
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #allow
        impl crate::runtime::ResponseHeaders for #name {
            fn from_headers(#param: &reqwest::header::HeaderMap) -> Self {
                Self {
                    #(#reads)*
                }
            }
        }
    }
}

/// `#[deprecated]` for what the record keeps and the spec no longer has.
pub(super) fn kept_attr() -> TokenStream {
    let note = crate::shape::DEPRECATED_NOTE;
    quote!(#[deprecated(note = #note)])
}

pub(super) fn emit_index(plan: &Plan) -> TokenStream {
    let modules = plan.modules.iter().map(|module| {
        let name = ident(&module.name);
        let docs = doc_attrs(&module.docs);
        let feature = &module.feature;
        let cfg = plan.features.then(|| quote!(#[cfg(feature = #feature)]));
        quote! {
            #docs
            #cfg
            pub mod #name;
            #cfg
            pub use #name::*;
        }
    });
    let headers = headers_struct(plan);
    quote! {
        //! Request builders, one module per tag of the spec (their names are unique across modules, so all
        //! are also here), and the response headers every answer carries.
        #(#modules)*

        #headers
    }
}

pub(super) fn emit_module(plan: &Plan, index: usize) -> TokenStream {
    let module = &plan.modules[index];
    let doc = format!(" The operations tagged `{}`.", if module.tag.is_empty() { "(none)" } else { &module.tag });
    let operations = plan.operations.iter().filter(|op| op.module == index).map(|op| operation(plan, op));
    quote! {
        #![doc = #doc]
        #(#operations)*
    }
}

fn operation(plan: &Plan, op: &OpDef) -> TokenStream {
    let root = root();
    let builder = ident(&op.builder);
    let method = ident(&op.method_name);
    let headers_type = {
        let name = ident(&plan.headers.name);
        quote!(super::#name)
    };
    let body_type = match &op.success {
        Success::Single(kind) => body_kind_type(kind),
        Success::PerStatus { answer, .. } => {
            let answer = ident(answer);
            quote!(#answer)
        }
    };
    let output = quote!(crate::runtime::ApiResponse<#body_type, #headers_type>);

    let mut args: Vec<TokenStream> = op
        .args
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = argument_type(&p.ty);
            quote!(#name: #ty)
        })
        .collect();
    let mut inits: Vec<TokenStream> = op
        .args
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            match stored_value(&p.ty, &quote!(#name)) {
                Some(value) => quote!(#name: #value,),
                None => quote!(#name,),
            }
        })
        .collect();
    let mut fields: Vec<TokenStream> = op
        .args
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = type_tokens(&p.ty, &root);
            quote!(#name: #ty,)
        })
        .collect();
    if let Some(body) = &op.body {
        let name = ident(&body.rust_name);
        let ty = type_tokens(&body.ty, &root);
        if body.required {
            args.push(quote!(#name: #ty));
            inits.push(quote!(#name,));
            fields.push(quote!(#name: #ty,));
        } else {
            inits.push(quote!(#name: None,));
            fields.push(quote!(#name: Option<#ty>,));
        }
    }
    for p in &op.options {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, &root);
        inits.push(quote!(#name: None,));
        fields.push(quote!(#name: Option<#ty>,));
    }
    let mut setters: Vec<TokenStream> = op.options.iter().map(setter).collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let name = ident(&body.rust_name);
        let ty = type_tokens(&body.ty, &root);
        let docs = doc_attrs(&body.docs);
        setters.push(quote! {
            #docs
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value);
                self
            }
        });
    }

    let deprecated = op.deprecated.then(|| {
        let note = format!("{} is deprecated in the API spec", op.operation_id);
        quote!(#[deprecated(note = #note)])
    });
    let method_docs = doc_attrs(&op.docs);
    // `&self` plus one argument per required parameter (and the body).
    let many = (args.len() + 1 > 7)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required parameter")]));
    let builder_docs = doc_attrs(&[
        format!("A `{}` request, built by [`crate::runtime::Client::{}`].", op.operation_id, op.method_name),
        String::new(),
        "Set optional parameters with its methods, then call [`Self::send`].".to_owned(),
    ]);
    let request = request_fn(op);
    let stream = matches!(op.success, Success::Single(BodyKind::Bytes)).then(|| {
        quote! {
            /// Sends the request and streams the answer's body as it arrives, instead of reading it into
            /// memory (for large downloads); an error answer is decoded as [`Self::send`] decodes it.
            pub async fn send_stream(
                self,
            ) -> Result<crate::runtime::ApiResponse<crate::runtime::ByteStream, #headers_type>, #root::Error> {
                let request = self.request()?;
                self.client.execute_streaming(request).await?.decode_stream()
            }
        }
    });
    let decode = decode_fn(op, &output);
    let answer_def = answer(op);
    let pagination = op.pagination.as_ref().map(|page| paginated(op, page, &body_type, &headers_type));

    quote! {
        impl crate::runtime::Client {
            #method_docs
            #deprecated
            #many
            pub fn #method(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits)*
                }
            }
        }

        #builder_docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a crate::runtime::Client,
            #(#fields)*
        }

        impl #builder<'_> {
            #(#setters)*

            /// Sends the request and decodes the answer.
            pub async fn send(self) -> Result<#output, #root::Error> {
                let request = self.request()?;
                Self::decode(self.client.execute(request).await?)
            }

            #stream

            #decode

            #request
        }

        #pagination
        #answer_def
    }
}

fn body_kind_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Empty => quote!(()),
        BodyKind::Json(ty) => type_tokens(ty, &root()),
        BodyKind::Bytes => quote!(bytes::Bytes),
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
fn argument_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(&str),
        borrowed if borrowed.is_borrowed_argument() => {
            let ty = type_tokens(borrowed, &root());
            quote!(&#ty)
        }
        other => type_tokens(other, &root()),
    }
}

fn stored_value(ty: &Ty, name: &TokenStream) -> Option<TokenStream> {
    match ty {
        Ty::String => Some(quote!(#name.to_owned())),
        borrowed if borrowed.is_borrowed_argument() => Some(quote!(#name.clone())),
        _ => None,
    }
}

/// Whether a value of `ty` is `Copy` (passed by value rather than borrowed from the builder).
fn is_copy(ty: &Ty) -> bool {
    matches!(ty, Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool)
}

fn setter(param: &ParamDef) -> TokenStream {
    let name = ident(&param.rust_name);
    let docs = doc_attrs(&param.docs);
    let arg = argument_type(&param.ty);
    let value = stored_value(&param.ty, &quote!(value)).unwrap_or_else(|| quote!(value));
    quote! {
        #docs
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = Some(#value);
            self
        }
    }
}

/// A value as text for a path segment, query value or header.
fn text_of(ty: &Ty, value: &TokenStream) -> TokenStream {
    match ty {
        Ty::Id(_) => quote!(#value.as_str()),
        Ty::String => quote!(#value.as_str()),
        Ty::Vec(_) => quote!(crate::runtime::joined(#value, ',').as_str()),
        _ => quote!(#value.to_string().as_str()),
    }
}

fn request_fn(op: &OpDef) -> TokenStream {
    let operation_id = &op.operation_id;
    let method = format_ident!("{}", op.http_method);
    let template = &op.path;
    let accept = &op.accept;
    let pieces = op.segments.iter().map(|piece| match piece {
        PathPiece::Literal(text) => quote!(#text),
        PathPiece::Param(rust_name) => {
            let name = ident(rust_name);
            let ty = op.args.iter().find(|p| &p.rust_name == rust_name).map(|p| &p.ty).unwrap_or(&Ty::String);
            let text = text_of(ty, &quote!(self.#name));
            quote!(&crate::runtime::encode_path_segment(#text))
        }
    });
    let security = op.security.iter().map(|k| security_tokens(*k));
    let mut steps: Vec<TokenStream> = Vec::new();
    for (param, optional) in op.args.iter().map(|p| (p, false)).chain(op.options.iter().map(|p| (p, true))) {
        if param.place == ParamPlace::Path {
            continue;
        }
        let name = ident(&param.rust_name);
        let wire = &param.wire_name;
        let value = match (optional, is_copy(&param.ty)) {
            (true, true) => quote!(*value),
            (true, false) => quote!(value),
            (false, true) => quote!(self.#name),
            (false, false) => quote!(&self.#name),
        };
        let step = match (param.place, &param.ty) {
            (ParamPlace::Query { join }, Ty::Vec(_)) => {
                let join = match join {
                    Some(c) => quote!(Some(#c)),
                    None => quote!(None),
                };
                quote!(request = request.query_values(#wire, #value, #join);)
            }
            (ParamPlace::Query { .. }, _) => quote!(request = request.query(#wire, #value);),
            (_, Ty::Vec(_)) => quote!(request = request.header(#wire, crate::runtime::joined(#value, ','));),
            (_, _) => quote!(request = request.header(#wire, #value);),
        };
        steps.push(if optional {
            quote! {
                if let Some(value) = &self.#name {
                    #step
                }
            }
        } else {
            step
        });
    }
    if let Some(body) = &op.body {
        let name = ident(&body.rust_name);
        let content_type = &body.content_type;
        let attach = |value: TokenStream| match body.ty {
            Ty::Bytes => quote!(request = request.bytes_body(#content_type, #value.clone());),
            _ => quote!(request = request.json_body(#content_type, #value)?;),
        };
        steps.push(if body.required {
            attach(quote!(&self.#name))
        } else {
            let step = attach(quote!(value));
            quote! {
                if let Some(value) = &self.#name {
                    #step
                }
            }
        });
    }
    let mutability = (!steps.is_empty()).then(|| quote!(mut));
    quote! {
        /// The request this builder describes.
        fn request(&self) -> Result<crate::runtime::OperationRequest, crate::runtime::InvalidArgument> {
            let path = [#(#pieces),*].concat();
            let #mutability request = crate::runtime::OperationRequest::new(
                #operation_id,
                reqwest::Method::#method,
                #template,
                path,
                #accept,
                &[#(#security),*],
            );
            #(#steps)*
            Ok(request)
        }
    }
}

fn decode_call(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Empty => quote!(decode_empty()),
        BodyKind::Json(_) => quote!(decode_json()),
        BodyKind::Bytes => quote!(decode_bytes()),
    }
}

fn decode_fn(op: &OpDef, output: &TokenStream) -> TokenStream {
    let root = root();
    let body = match &op.success {
        Success::Single(kind) => {
            let call = decode_call(kind);
            quote!(raw.#call)
        }
        Success::PerStatus { answer, variants } => {
            let answer = ident(answer);
            let documented = variants.iter().map(|v| {
                let status = match v.status {
                    Some(code) => quote!(Some(#code)),
                    None => quote!(None),
                };
                let has_body = v.body != BodyKind::Empty;
                quote!((#status, #has_body))
            });
            let last = variants.len().saturating_sub(1);
            let arms = variants.iter().enumerate().map(|(index, v)| {
                let variant = ident(&v.name);
                let call = decode_call(&v.body);
                let map = match v.body {
                    BodyKind::Empty => quote!(|()| #answer::#variant),
                    _ => quote!(#answer::#variant),
                };
                let pattern = if index == last { quote!(Some(_)) } else { quote!(Some(#index)) };
                quote!(#pattern => raw.#call.map(|answer| answer.map_body(#map)),)
            });
            quote! {
                match raw.success_index(&[#(#documented),*]) {
                    #(#arms)*
                    None => raw.into_error(),
                }
            }
        }
    };
    quote! {
        /// Decodes an answer to this request, exactly as [`Self::send`] does: documented and undocumented
        /// 2xx answers as the success type, anything else as an error that keeps the raw answer.
        pub fn decode(raw: crate::runtime::RawResponse) -> Result<#output, #root::Error> {
            #body
        }
    }
}

fn answer(op: &OpDef) -> TokenStream {
    let Success::PerStatus { answer, variants } = &op.success else { return TokenStream::new() };
    let name = ident(answer);
    let doc =
        format!(" A successful `{}` answer, by status (its 2xx answers carry different bodies).", op.operation_id);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = match v.status {
            Some(code) => format!(" A `{code}` answer."),
            None => " Another 2xx answer.".to_owned(),
        };
        let payload = match &v.body {
            BodyKind::Empty => TokenStream::new(),
            other => {
                let ty = body_kind_type(other);
                quote!((#ty))
            }
        };
        quote! {
            #[doc = #doc]
            #variant #payload,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "an answer is decoded once and moved, never stored in bulk")]
        pub enum #name {
            #(#declared)*
        }
    }
}

fn paginated(op: &OpDef, page: &PageDef, body_type: &TokenStream, headers_type: &TokenStream) -> TokenStream {
    let root = root();
    let builder = ident(&op.builder);
    let item = type_tokens(&page.item, &root);
    let page_field = ident(&page.page_field);
    let size_field = ident(&page.size_field);
    let items = ident(&page.items_field);
    let widen = |ty: &Ty| match ty {
        Ty::I32 => quote!(.map(i64::from)),
        _ => TokenStream::new(),
    };
    let page_from = widen(&page.page_ty);
    let size_from =
        widen(&op.options.iter().find(|p| p.rust_name == page.size_field).map_or(Ty::I64, |p| p.ty.clone()));
    let set_page = match page.page_ty {
        Ty::I32 => quote!(i32::try_from(page).unwrap_or(i32::MAX)),
        _ => quote!(page),
    };
    let total = match &page.total_field {
        Some(field) => {
            let field = ident(field);
            let widen = match page.total_ty {
                Ty::I32 => quote!(.map(i64::from)),
                _ => TokenStream::new(),
            };
            quote!(page.#field #widen)
        }
        None => quote!(None),
    };
    quote! {
        impl crate::runtime::Paginated for #builder<'_> {
            type Page = #body_type;
            type Item = #item;
            type Headers = #headers_type;
            type Error = #root::Error;

            fn page_number(&self) -> Option<i64> {
                self.#page_field #page_from
            }

            fn page_size(&self) -> Option<i64> {
                self.#size_field #size_from
            }

            fn with_page(mut self, page: i64) -> Self {
                self.#page_field = Some(#set_page);
                self
            }

            fn send_page(
                self,
            ) -> impl std::future::Future<Output = Result<crate::runtime::ApiResponse<Self::Page, Self::Headers>, Self::Error>> + Send {
                self.send()
            }

            fn into_items(page: Self::Page) -> (Vec<Self::Item>, Option<i64>) {
                let total = #total;
                (page.#items.unwrap_or_default(), total)
            }
        }
    }
}
