//! Security requirements: which credential kinds an operation accepts.

use openapiv3::{SecurityRequirement, SecurityScheme};

use super::Lowering;
use crate::model::SecurityKind;

impl<'a> Lowering<'a> {
    /// The kinds of credentials accepted: the operation's own requirements, or the document's.
    pub(super) fn lower_security(&mut self, own: Option<&'a Vec<SecurityRequirement>>, at: &str) -> Vec<SecurityKind> {
        let spec = self.spec;
        let (requirements, here) = match own {
            Some(requirements) => (requirements, format!("{at}/security")),
            None => match &spec.security {
                Some(requirements) => (requirements, "/security".to_owned()),
                None => return Vec::new(),
            },
        };
        let mut kinds = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let item_at = format!("{here}/{index}");
            if requirement.len() > 1 {
                self.error(&item_at, "requirements that combine several schemes are not supported");
                continue;
            }
            for name in requirement.keys() {
                if let Some(kind) = self.scheme_kind(name, &item_at)
                    && !kinds.contains(&kind)
                {
                    kinds.push(kind);
                }
            }
        }
        kinds
    }

    fn scheme_kind(&mut self, name: &str, at: &str) -> Option<SecurityKind> {
        let spec = self.spec;
        let Some(scheme) = spec.components.as_ref().and_then(|c| c.security_schemes.get(name)) else {
            self.error(at, format!("security scheme `{name}` is not defined in components.securitySchemes"));
            return None;
        };
        let scheme_at = crate::spec::pointer::from_tokens(&["components", "securitySchemes", name]);
        let openapiv3::ReferenceOr::Item(scheme) = scheme else {
            self.error(scheme_at, "`$ref` security schemes are not supported");
            return None;
        };
        match scheme {
            SecurityScheme::HTTP { scheme, .. } => match scheme.to_ascii_lowercase().as_str() {
                "digest" => Some(SecurityKind::HttpDigest),
                "basic" => Some(SecurityKind::HttpBasic),
                "bearer" => Some(SecurityKind::HttpBearer),
                other => {
                    self.error(format!("{scheme_at}/scheme"), format!("HTTP auth scheme `{other}` is not supported"));
                    None
                }
            },
            SecurityScheme::OAuth2 { flows, .. } if flows.client_credentials.is_some() => {
                Some(SecurityKind::OAuth2ClientCredentials)
            }
            SecurityScheme::OAuth2 { .. } => {
                self.error(format!("{scheme_at}/flows"), "only the OAuth 2.0 clientCredentials flow is supported");
                None
            }
            SecurityScheme::APIKey { .. } => {
                self.error(scheme_at, "apiKey security schemes are not supported yet");
                None
            }
            SecurityScheme::OpenIDConnect { .. } => {
                self.error(scheme_at, "openIdConnect security schemes are not supported");
                None
            }
        }
    }
}
