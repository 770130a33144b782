//! Every rule the diff knows: its stable id, its level and a one-line summary.
//!
//! Ids reuse oasdiff's check ids where the concept is the same, so people who know that tool can read
//! the report; ids oasdiff has no equivalent for are marked "(own)". A level is what the change means for a
//! program built against the client generated from the base spec. It follows oasdiff for reused ids except
//! where the generated client's leniency changes the answer, marked "(client)": response enums are open
//! (an unlisted value decodes as `Other`), response fields are all `Option` (absent and `null` decode), and
//! unions keep an unknown tag's JSON.

use crate::model::Level;

macro_rules! rules {
    ($($variant:ident = $id:literal, $level:ident, $summary:literal;)*) => {
        /// A rule: the kind of a change. Its id never changes once released, since allow-lists name it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Rule {
            /// All rules, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id, e.g. `new-required-request-parameter`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// How much a change of this kind matters.
            pub fn level(self) -> Level {
                match self {
                    $(Rule::$variant => Level::$level,)*
                }
            }

            /// One line saying what the rule reports.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    // Operations.
    EndpointAdded = "endpoint-added", Info, "an operation was added";
    RemovedWithoutDeprecation = "api-removed-without-deprecation", Error, "an operation was removed without being deprecated first";
    RemovedWithDeprecation = "api-removed-with-deprecation", Info, "a deprecated operation was removed";
    EndpointDeprecated = "endpoint-deprecated", Info, "an operation was deprecated";
    EndpointReactivated = "endpoint-reactivated", Info, "an operation is no longer deprecated";
    OperationIdAdded = "api-operation-id-added", Info, "an operation got an operationId";
    OperationIdRemoved = "api-operation-id-removed", Info, "an operation lost its operationId";
    OperationIdChanged = "api-operation-id-changed", Warning, "an operationId changed, which renames the client method (own)";
    SunsetAdded = "sunset-added", Warning, "an x-sunset date was announced (own)";
    SunsetRemoved = "sunset-removed", Info, "an x-sunset date was withdrawn (own)";
    SunsetBroughtForward = "sunset-date-brought-forward", Warning, "an x-sunset date moved earlier (own)";
    SunsetPostponed = "sunset-date-postponed", Info, "an x-sunset date moved later (own)";
    // Parameters.
    NewRequiredRequestParameter = "new-required-request-parameter", Error, "a required parameter was added";
    NewOptionalRequestParameter = "new-optional-request-parameter", Info, "an optional parameter was added";
    RequestParameterRemoved = "request-parameter-removed", Warning, "a parameter was removed";
    RequestParameterBecameRequired = "request-parameter-became-required", Error, "a parameter became required";
    RequestParameterBecameOptional = "request-parameter-became-optional", Info, "a parameter became optional";
    RequestParameterTypeChanged = "request-parameter-type-changed", Error, "a parameter's type or format changed";
    RequestParameterTypeGeneralized = "request-parameter-type-generalized", Info, "a parameter's type was widened (int32 to int64, integer to string)";
    RequestParameterPatternAdded = "request-parameter-pattern-added", Error, "a parameter got a pattern";
    RequestParameterPatternChanged = "request-parameter-pattern-changed", Warning, "a parameter's pattern changed";
    RequestParameterPatternRemoved = "request-parameter-pattern-removed", Info, "a parameter's pattern was removed";
    RequestParameterEnumValueAdded = "request-parameter-enum-value-added", Info, "a parameter accepts a new enum value";
    RequestParameterEnumValueRemoved = "request-parameter-enum-value-removed", Error, "a parameter no longer accepts an enum value";
    RequestParameterBecameEnum = "request-parameter-became-enum", Error, "a parameter was restricted to an enum";
    RequestParameterDeprecated = "request-parameter-deprecated", Info, "a parameter was deprecated";
    RequestParameterNoLongerEnum = "request-parameter-no-longer-enum", Info, "a parameter is no longer restricted to an enum: every value it took is still accepted (own)";
    // Constraints of parameters: tightening refuses values a caller sent before (error), loosening refuses nothing (info).
    RequestParameterMinIncreased = "request-parameter-min-increased", Error, "a parameter's minimum rose, was set, or became exclusive; a value a caller sent before may be refused";
    RequestParameterMinDecreased = "request-parameter-min-decreased", Info, "a parameter's minimum fell, was removed, or became inclusive; every value a caller sent before is still accepted";
    RequestParameterMaxDecreased = "request-parameter-max-decreased", Error, "a parameter's maximum fell, was set, or became exclusive; a value a caller sent before may be refused";
    RequestParameterMaxIncreased = "request-parameter-max-increased", Info, "a parameter's maximum rose, was removed, or became inclusive; every value a caller sent before is still accepted";
    RequestParameterMultipleOfTightened = "request-parameter-multiple-of-tightened", Error, "a parameter's multipleOf was set, or changed so that some values no longer fit; a value a caller sent before may be refused (own)";
    RequestParameterMultipleOfLoosened = "request-parameter-multiple-of-loosened", Info, "a parameter's multipleOf was removed, or changed so that more values fit; every value a caller sent before is still accepted (own)";
    RequestParameterMinLengthIncreased = "request-parameter-min-length-increased", Error, "a parameter's minLength rose (absent is 0); a value a caller sent before may be refused";
    RequestParameterMinLengthDecreased = "request-parameter-min-length-decreased", Info, "a parameter's minLength fell; every value a caller sent before is still accepted";
    RequestParameterMaxLengthDecreased = "request-parameter-max-length-decreased", Error, "a parameter's maxLength fell or was set; a value a caller sent before may be refused";
    RequestParameterMaxLengthIncreased = "request-parameter-max-length-increased", Info, "a parameter's maxLength rose or was removed; every value a caller sent before is still accepted";
    RequestParameterMinItemsIncreased = "request-parameter-min-items-increased", Error, "a parameter's minItems rose (absent is 0); a value a caller sent before may be refused";
    RequestParameterMinItemsDecreased = "request-parameter-min-items-decreased", Info, "a parameter's minItems fell; every value a caller sent before is still accepted";
    RequestParameterMaxItemsDecreased = "request-parameter-max-items-decreased", Error, "a parameter's maxItems fell or was set; a value a caller sent before may be refused";
    RequestParameterMaxItemsIncreased = "request-parameter-max-items-increased", Info, "a parameter's maxItems rose or was removed; every value a caller sent before is still accepted";
    RequestParameterBecameUnique = "request-parameter-became-unique", Error, "a parameter's items must now be unique; a value a caller sent before may be refused (own)";
    RequestParameterBecameNotUnique = "request-parameter-became-not-unique", Info, "a parameter's items no longer have to be unique; every value a caller sent before is still accepted (own)";
    // Request bodies.
    RequestBodyAddedRequired = "request-body-added-required", Error, "a required request body was added";
    RequestBodyAddedOptional = "request-body-added-optional", Info, "an optional request body was added";
    RequestBodyRemoved = "request-body-removed", Error, "the request body was removed";
    RequestBodyBecameRequired = "request-body-became-required", Error, "the request body became required";
    RequestBodyBecameOptional = "request-body-became-optional", Info, "the request body became optional";
    RequestBodyMediaTypeAdded = "request-body-media-type-added", Info, "the request body accepts a new media type";
    RequestBodyMediaTypeRemoved = "request-body-media-type-removed", Error, "the request body no longer accepts a media type";
    RequestBodyMediaTypeVersionChanged = "request-body-media-type-version-changed", Warning, "the request body's API version changed (own)";
    RequestBodyUnsentVersionRemoved = "request-body-media-type-unsent-version-removed", Info, "the request body no longer accepts an API version the base client does not send, and still accepts the one it sends (own)";
    RequestBodyTypeChanged = "request-body-type-changed", Error, "the request body's type changed";
    RequestBodyTypeGeneralized = "request-body-type-generalized", Info, "the request body's type was widened";
    NewRequiredRequestProperty = "new-required-request-property", Error, "a required request property was added";
    NewOptionalRequestProperty = "new-optional-request-property", Info, "an optional request property was added";
    RequestPropertyRemoved = "request-property-removed", Warning, "a request property was removed";
    RequestPropertyBecameRequired = "request-property-became-required", Error, "a request property became required";
    RequestPropertyBecameOptional = "request-property-became-optional", Info, "a request property became optional";
    RequestPropertyTypeChanged = "request-property-type-changed", Error, "a request property's type or format changed";
    RequestPropertyTypeGeneralized = "request-property-type-generalized", Info, "a request property's type was widened";
    RequestPropertyEnumValueAdded = "request-property-enum-value-added", Info, "a request property accepts a new enum value";
    RequestPropertyEnumValueRemoved = "request-property-enum-value-removed", Error, "a request property no longer accepts an enum value";
    RequestPropertyBecameEnum = "request-property-became-enum", Error, "a request property was restricted to an enum";
    RequestPropertyPatternAdded = "request-property-pattern-added", Error, "a request property got a pattern";
    RequestPropertyPatternChanged = "request-property-pattern-changed", Warning, "a request property's pattern changed";
    RequestPropertyPatternRemoved = "request-property-pattern-removed", Info, "a request property's pattern was removed";
    RequestPropertyOneOfAdded = "request-property-one-of-added", Info, "a request schema accepts a new oneOf alternative";
    RequestPropertyOneOfRemoved = "request-property-one-of-removed", Error, "a request schema lost a oneOf alternative";
    RequestPropertyAnyOfAdded = "request-property-any-of-added", Info, "a request schema accepts a new anyOf alternative";
    RequestPropertyAnyOfRemoved = "request-property-any-of-removed", Error, "a request schema lost an anyOf alternative";
    RequestPropertyDiscriminatorMappingAdded = "request-property-discriminator-mapping-added", Info, "a request union accepts a new discriminator value (own)";
    RequestPropertyDiscriminatorMappingRemoved = "request-property-discriminator-mapping-removed", Error, "a request union no longer accepts a discriminator value (own)";
    RequestPropertyBecameNullable = "request-property-became-nullable", Info, "a request property accepts null (own)";
    RequestPropertyBecameNotNullable = "request-property-became-not-nullable", Error, "a request property no longer accepts null (own)";
    RequestPropertyNoLongerEnum = "request-property-no-longer-enum", Info, "a request property is no longer restricted to an enum: a widening, every value it took is still accepted (own)";
    // Constraints of request bodies: tightening refuses values a caller sent before (error), loosening refuses nothing (info).
    RequestPropertyMinIncreased = "request-property-min-increased", Error, "a request property's minimum rose, was set, or became exclusive; a value a caller sent before may be refused";
    RequestPropertyMinDecreased = "request-property-min-decreased", Info, "a request property's minimum fell, was removed, or became inclusive; every value a caller sent before is still accepted";
    RequestPropertyMaxDecreased = "request-property-max-decreased", Error, "a request property's maximum fell, was set, or became exclusive; a value a caller sent before may be refused";
    RequestPropertyMaxIncreased = "request-property-max-increased", Info, "a request property's maximum rose, was removed, or became inclusive; every value a caller sent before is still accepted";
    RequestPropertyMultipleOfTightened = "request-property-multiple-of-tightened", Error, "a request property's multipleOf was set, or changed so that some values no longer fit; a value a caller sent before may be refused (own)";
    RequestPropertyMultipleOfLoosened = "request-property-multiple-of-loosened", Info, "a request property's multipleOf was removed, or changed so that more values fit; every value a caller sent before is still accepted (own)";
    RequestPropertyMinLengthIncreased = "request-property-min-length-increased", Error, "a request property's minLength rose (absent is 0); a value a caller sent before may be refused";
    RequestPropertyMinLengthDecreased = "request-property-min-length-decreased", Info, "a request property's minLength fell; every value a caller sent before is still accepted";
    RequestPropertyMaxLengthDecreased = "request-property-max-length-decreased", Error, "a request property's maxLength fell or was set; a value a caller sent before may be refused";
    RequestPropertyMaxLengthIncreased = "request-property-max-length-increased", Info, "a request property's maxLength rose or was removed; every value a caller sent before is still accepted";
    RequestPropertyMinItemsIncreased = "request-property-min-items-increased", Error, "a request property's minItems rose (absent is 0); a value a caller sent before may be refused";
    RequestPropertyMinItemsDecreased = "request-property-min-items-decreased", Info, "a request property's minItems fell; every value a caller sent before is still accepted (own)";
    RequestPropertyMaxItemsDecreased = "request-property-max-items-decreased", Error, "a request property's maxItems fell or was set; a value a caller sent before may be refused (own)";
    RequestPropertyMaxItemsIncreased = "request-property-max-items-increased", Info, "a request property's maxItems rose or was removed; every value a caller sent before is still accepted (own)";
    RequestPropertyBecameUnique = "request-property-became-unique", Error, "a request property's items must now be unique; a value a caller sent before may be refused (own)";
    RequestPropertyBecameNotUnique = "request-property-became-not-unique", Info, "a request property's items no longer have to be unique; every value a caller sent before is still accepted (own)";
    RequestPropertyMinPropertiesIncreased = "request-property-min-properties-increased", Error, "a request property's minProperties rose (absent is 0); a value a caller sent before may be refused (own)";
    RequestPropertyMinPropertiesDecreased = "request-property-min-properties-decreased", Info, "a request property's minProperties fell; every value a caller sent before is still accepted (own)";
    RequestPropertyMaxPropertiesDecreased = "request-property-max-properties-decreased", Error, "a request property's maxProperties fell or was set; a value a caller sent before may be refused (own)";
    RequestPropertyMaxPropertiesIncreased = "request-property-max-properties-increased", Info, "a request property's maxProperties rose or was removed; every value a caller sent before is still accepted (own)";
    // Responses.
    ResponseSuccessStatusAdded = "response-success-status-added", Info, "a success status was added";
    ResponseSuccessStatusRemoved = "response-success-status-removed", Error, "a success status was removed";
    ResponseSuccessStatusChanged = "response-success-status-changed", Error, "the only success status changed to another (own)";
    ResponseNonSuccessStatusAdded = "response-non-success-status-added", Info, "a non-success status was added";
    ResponseNonSuccessStatusRemoved = "response-non-success-status-removed", Info, "a non-success status was removed";
    ResponseMediaTypeAdded = "response-media-type-added", Info, "a response offers a new media type";
    ResponseMediaTypeRemoved = "response-media-type-removed", Error, "a response no longer offers a media type";
    ResponseMediaTypeVersionChanged = "response-media-type-version-changed", Warning, "a response's API version changed (own)";
    ResponseUnsentVersionRemoved = "response-media-type-unsent-version-removed", Info, "a response no longer offers an API version the base client does not ask for, and still offers the one it asks for (own)";
    ErrorResponseMediaTypeChanged = "error-response-media-type-changed", Info, "an error answer's media type changed (a vendor type replaced by application/json, say); the client decodes error answers by their shape, whatever their media type (own)";
    ResponseBodyTypeChanged = "response-body-type-changed", Error, "a response body's type changed";
    ResponseOptionalPropertyAdded = "response-optional-property-added", Info, "an optional response property was added";
    ResponseRequiredPropertyAdded = "response-required-property-added", Info, "a required response property was added";
    ResponseOptionalPropertyRemoved = "response-optional-property-removed", Warning, "an optional response property was removed";
    ResponseRequiredPropertyRemoved = "response-required-property-removed", Error, "a required response property was removed";
    ResponsePropertyBecameOptional = "response-property-became-optional", Warning, "a response property became optional; every response field is an Option, so the base client still decodes it (client)";
    ResponsePropertyBecameRequired = "response-property-became-required", Info, "a response property became required";
    ResponsePropertyTypeChanged = "response-property-type-changed", Error, "a response property's type or format changed";
    ResponsePropertyEnumValueAdded = "response-property-enum-value-added", Info, "a response property may carry a new enum value; generated enums are open, so the base client decodes it as `Other` (client)";
    ResponsePropertyEnumValueRemoved = "response-property-enum-value-removed", Info, "a response property no longer carries an enum value";
    ResponsePropertyPatternAdded = "response-property-pattern-added", Info, "a response property got a pattern";
    ResponsePropertyPatternChanged = "response-property-pattern-changed", Info, "a response property's pattern changed";
    ResponsePropertyPatternRemoved = "response-property-pattern-removed", Info, "a response property's pattern was removed";
    ResponseBecameOneOf = "response-became-one-of", Error, "a response schema that was one object became a union with other alternatives: answers may now be those, and the generated type changes from a struct to an enum (client)";
    ResponsePropertyOneOfAdded = "response-property-one-of-added", Warning, "a response schema may carry a new oneOf alternative; the base client decodes it as the union's `Unknown` JSON (client)";
    ResponsePropertyOneOfRemoved = "response-property-one-of-removed", Info, "a response schema lost a oneOf alternative";
    ResponsePropertyAnyOfAdded = "response-property-any-of-added", Info, "a response schema may carry a new anyOf alternative";
    ResponsePropertyAnyOfRemoved = "response-property-any-of-removed", Info, "a response schema lost an anyOf alternative";
    ResponsePropertyDiscriminatorMappingAdded = "response-property-discriminator-mapping-added", Warning, "a response union may carry a new discriminator value; the base client decodes it as `Unknown` JSON (own)";
    ResponsePropertyDiscriminatorMappingRemoved = "response-property-discriminator-mapping-removed", Info, "a response union no longer carries a discriminator value (own)";
    ResponsePropertyBecameNullable = "response-property-became-nullable", Info, "a response property may be null; every response field is an Option, so the base client decodes it (own)";
    ResponsePropertyBecameNotNullable = "response-property-became-not-nullable", Info, "a response property is no longer null (own)";
    ResponseHeaderAdded = "response-header-added", Info, "a response header was added (own)";
    RequiredResponseHeaderRemoved = "required-response-header-removed", Error, "a required response header was removed";
    OptionalResponseHeaderRemoved = "optional-response-header-removed", Warning, "an optional response header was removed";
    ResponseHeaderBecameOptional = "response-header-became-optional", Error, "a response header became optional";
    ResponseHeaderBecameRequired = "response-header-became-required", Info, "a response header became required (own)";
    // Constraints of response bodies: loosening lets answers carry values a caller that validated them did not expect (warning),
    // tightening keeps answers within what was promised (info).
    ResponsePropertyMinIncreased = "response-property-min-increased", Info, "a response property's minimum rose, was set, or became exclusive; answers stay within what the base spec promised (own)";
    ResponsePropertyMinDecreased = "response-property-min-decreased", Warning, "a response property's minimum fell, was removed, or became inclusive; the generated client checks no constraint, a caller that validated answers may not expect it (client)";
    ResponsePropertyMaxDecreased = "response-property-max-decreased", Info, "a response property's maximum fell, was set, or became exclusive; answers stay within what the base spec promised (own)";
    ResponsePropertyMaxIncreased = "response-property-max-increased", Warning, "a response property's maximum rose, was removed, or became inclusive; the generated client checks no constraint, a caller that validated answers may not expect it (client)";
    ResponsePropertyMultipleOfTightened = "response-property-multiple-of-tightened", Info, "a response property's multipleOf was set, or changed so that some values no longer fit; answers stay within what the base spec promised (own)";
    ResponsePropertyMultipleOfLoosened = "response-property-multiple-of-loosened", Warning, "a response property's multipleOf was removed, or changed so that more values fit; the generated client checks no constraint, a caller that validated answers may not expect it (own)";
    ResponsePropertyMinLengthIncreased = "response-property-min-length-increased", Info, "a response property's minLength rose (absent is 0); answers stay within what the base spec promised (own)";
    ResponsePropertyMinLengthDecreased = "response-property-min-length-decreased", Warning, "a response property's minLength fell; the generated client checks no constraint, a caller that validated answers may not expect it (client)";
    ResponsePropertyMaxLengthDecreased = "response-property-max-length-decreased", Info, "a response property's maxLength fell or was set; answers stay within what the base spec promised (own)";
    ResponsePropertyMaxLengthIncreased = "response-property-max-length-increased", Warning, "a response property's maxLength rose or was removed; the generated client checks no constraint, a caller that validated answers may not expect it (client)";
    ResponsePropertyMinItemsIncreased = "response-property-min-items-increased", Info, "a response property's minItems rose (absent is 0); answers stay within what the base spec promised (own)";
    ResponsePropertyMinItemsDecreased = "response-property-min-items-decreased", Warning, "a response property's minItems fell; the generated client checks no constraint, a caller that validated answers may not expect it (client)";
    ResponsePropertyMaxItemsDecreased = "response-property-max-items-decreased", Info, "a response property's maxItems fell or was set; answers stay within what the base spec promised (own)";
    ResponsePropertyMaxItemsIncreased = "response-property-max-items-increased", Warning, "a response property's maxItems rose or was removed; the generated client checks no constraint, a caller that validated answers may not expect it (own)";
    ResponsePropertyBecameUnique = "response-property-became-unique", Info, "a response property's items must now be unique; answers stay within what the base spec promised (own)";
    ResponsePropertyBecameNotUnique = "response-property-became-not-unique", Warning, "a response property's items no longer have to be unique; the generated client checks no constraint, a caller that validated answers may not expect it (own)";
    ResponsePropertyMinPropertiesIncreased = "response-property-min-properties-increased", Info, "a response property's minProperties rose (absent is 0); answers stay within what the base spec promised (own)";
    ResponsePropertyMinPropertiesDecreased = "response-property-min-properties-decreased", Warning, "a response property's minProperties fell; the generated client checks no constraint, a caller that validated answers may not expect it (own)";
    ResponsePropertyMaxPropertiesDecreased = "response-property-max-properties-decreased", Info, "a response property's maxProperties fell or was set; answers stay within what the base spec promised (own)";
    ResponsePropertyMaxPropertiesIncreased = "response-property-max-properties-increased", Warning, "a response property's maxProperties rose or was removed; the generated client checks no constraint, a caller that validated answers may not expect it (own)";
    // Security.
    SecurityAdded = "api-security-added", Info, "an operation accepts a new security requirement";
    SecurityRemoved = "api-security-removed", Info, "an operation no longer accepts a security requirement";
    SecurityScopeAdded = "api-security-scope-added", Info, "a security requirement of an operation needs a new scope";
    SecurityScopeRemoved = "api-security-scope-removed", Info, "a security requirement of an operation no longer needs a scope";
    GlobalSecurityAdded = "api-global-security-added", Info, "the document accepts a new security requirement";
    GlobalSecurityRemoved = "api-global-security-removed", Info, "the document no longer accepts a security requirement";
    SecurityComponentAdded = "api-security-component-added", Info, "a security scheme was added to components";
    SecurityComponentRemoved = "api-security-component-removed", Info, "a security scheme was removed from components";
    SecurityComponentTypeChanged = "api-security-component-type-changed", Info, "a security scheme's type (or HTTP scheme) changed";
    // The document.
    PinnedVersionChanged = "pinned-version-changed", Warning, "the document's x-pinned-version moved, so operations may send another API version (own)";
    // The generated client.
    ClientItemRemoved = "client-item-removed", Error, "a public item of the generated client was removed (own)";
    ClientItemChanged = "client-item-changed", Error, "a public item of the generated client changed its signature (own)";
    ClientItemAdded = "client-item-added", Info, "the generated client has a new public item (own)";
    ClientGenerationFailed = "client-generation-failed", Error, "a side's spec does not generate a client; the finding names its first problem (own)";
    ClientSentVersionRemoved = "client-sent-version-removed", Error, "an operation no longer offers the media type (API version) the base client sends, so its requests are refused (own)";
    ClientItemKept = "client-item-kept", Info, "an item the head spec no longer has is kept by the record, deprecated, so code using it still compiles (own)";
    ClientSentVersionChanged = "client-sent-version-changed", Warning, "the head client sends another API version for an operation (adopted with `regenerate --adopt`), which changes what it sends (own)";
    ClientNewerVersionOffered = "client-newer-version-offered", Info, "an operation offers a newer API version than the one the client sends; the client keeps its version until it is adopted (own)";
}

impl Rule {
    /// Whether the rule reports on the generated client rather than the spec.
    pub fn is_client_api(self) -> bool {
        self.id().starts_with("client-")
    }

    /// Finds a rule by its id, for allow-lists.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}
