//! A structural generator of hostile specs: a few numbers become a spec of any size that stresses one
//! construct of the generator (inline nesting through each schema keyword, `$ref` chains through each,
//! thousands of siblings, names that all clash, inheritance that multiplies properties). The hostile-spec
//! tests build their large specs with it (they are megabytes, so the programs are kept, not the specs), and
//! the fuzz target (`codegen/fuzz`, which mounts this file) decodes its structured inputs into [`Part`]s, so
//! libFuzzer's byte mutations become structural mutations: another construct, a longer chain, more siblings.
//!
//! Plain std only (the fuzz target builds it in its own workspace). Every spec is JSON text, which the
//! generator reads with the same parser as YAML.

// `pub` means "for the test files and the fuzz target", which the unreachable_pub lint cannot see.
#![allow(dead_code, unreachable_pub, reason = "each test file and the fuzz target use part of it")]

use std::fmt::Write as _;

/// A schema keyword through which one schema reaches another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// `{type: object, properties: {p: X}}`
    Properties,
    /// `{type: array, items: X}`
    Items,
    /// `{allOf: [X]}` (with a property of its own, so it is a struct, not an alias)
    AllOf,
    /// `{oneOf: [X, {type: integer}]}`
    OneOf,
    /// `{anyOf: [X, {type: boolean}]}`
    AnyOf,
    /// `{type: object, additionalProperties: X}`
    AdditionalProperties,
    /// `{oneOf: [X], discriminator: {propertyName: kind, mapping: {k: X}}}` (chains only: a mapping names
    /// a component)
    Discriminator,
}

impl Via {
    /// Every keyword, in a fixed order (the fuzz target picks by index).
    pub const ALL: [Via; 7] = [
        Via::Properties,
        Via::Items,
        Via::AllOf,
        Via::OneOf,
        Via::AnyOf,
        Via::AdditionalProperties,
        Via::Discriminator,
    ];

    /// `inner` (a schema's text) reached from a new schema through this keyword.
    fn wrap(self, inner: &str) -> String {
        match self {
            Via::Properties => format!(r#"{{"type":"object","properties":{{"p":{inner}}}}}"#),
            Via::Items => format!(r#"{{"type":"array","items":{inner}}}"#),
            Via::AllOf => format!(r#"{{"allOf":[{inner}],"properties":{{"own":{{"type":"string"}}}}}}"#),
            Via::OneOf => format!(r#"{{"oneOf":[{inner},{{"type":"integer"}}]}}"#),
            Via::AnyOf => format!(r#"{{"anyOf":[{inner},{{"type":"boolean"}}]}}"#),
            Via::AdditionalProperties => format!(r#"{{"type":"object","additionalProperties":{inner}}}"#),
            Via::Discriminator => {
                let target = inner.strip_prefix(r#"{"$ref":""#).and_then(|r| r.strip_suffix(r#""}"#));
                match target {
                    Some(target) => format!(
                        r#"{{"oneOf":[{inner}],"discriminator":{{"propertyName":"kind","mapping":{{"k":"{target}"}}}}}}"#
                    ),
                    // Inline, a mapping cannot name it: the plain union.
                    None => format!(r#"{{"oneOf":[{inner},{{"type":"object"}}]}}"#),
                }
            }
        }
    }

    /// How many levels of mappings and sequences one step of nesting adds to the document.
    pub fn levels(self) -> usize {
        match self {
            Via::Items | Via::AdditionalProperties => 1,
            _ => 2,
        }
    }
}

/// Many of one thing side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sibling {
    /// Properties of one object.
    Properties,
    /// Component schemas, each used by the one operation.
    Components,
    /// Values of one string enum.
    EnumValues,
    /// Operations.
    Operations,
    /// Query parameters of one operation.
    Parameters,
    /// `oneOf` branches of one union (objects, so the union stays a union).
    Branches,
    /// Entries of one discriminator mapping.
    MappingEntries,
    /// Properties whose names all become the same Rust field (`a`, `A`, `a_`, ...).
    ClashingProperties,
    /// Enum values whose names all become the same Rust variant.
    ClashingEnumValues,
    /// Component schemas whose names all become the same Rust type.
    ClashingComponents,
    /// Operations whose ids all become the same Rust method.
    ClashingOperations,
    /// 2xx answers of one operation, each with its own body (at most 100: 200 to 299).
    Responses,
    /// Operations that all take the same id (a path parameter with a pattern).
    IdUsers,
    /// Path parameters, one per operation, each with a pattern of its own near the regex size limit.
    Patterns,
}

impl Sibling {
    /// Every kind, in a fixed order (the fuzz target picks by index).
    pub const ALL: [Sibling; 14] = [
        Sibling::Properties,
        Sibling::Components,
        Sibling::EnumValues,
        Sibling::Operations,
        Sibling::Parameters,
        Sibling::Branches,
        Sibling::MappingEntries,
        Sibling::ClashingProperties,
        Sibling::ClashingEnumValues,
        Sibling::ClashingComponents,
        Sibling::ClashingOperations,
        Sibling::Responses,
        Sibling::IdUsers,
        Sibling::Patterns,
    ];
}

/// One hostile construct; a spec holds any number of them side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// One inline schema nested `depth` times through `via`.
    Nested { via: Via, depth: usize },
    /// `length` component schemas, each reaching the next with a `$ref` through `via`; the last is a string,
    /// or reaches the first again when `cycle`.
    Chain { via: Via, length: usize, cycle: bool },
    /// `count` siblings of one kind.
    Siblings { kind: Sibling, count: usize },
    /// `depth` component schemas, each inheriting (`allOf`) from the next and adding `width` properties of
    /// its own: every schema's struct holds all the properties below it, so the fields of all the structs
    /// grow with the square of `depth`.
    Inheritance { depth: usize, width: usize },
    /// One object with `fields` properties that all name (`$ref`) one component with `width` properties:
    /// small on the page, but a generator that copies the component's shape at every use does
    /// `fields` × `width` work.
    Fanout { fields: usize, width: usize },
    /// A union of an object and an integer, the object having `fields` properties that all name one enum of
    /// `width` values: a union recognises the object by the values its enum properties allow, and a
    /// generator that lists them per property writes `fields` × `width` values.
    EnumFanout { fields: usize, width: usize },
    /// `operations` operations, each with a tag of its own, all answering the first of a chain of `shared`
    /// component schemas: every module reaches every shared type.
    Tags { operations: usize, shared: usize },
    /// Callbacks nested `depth` deep (a callback's operation has callbacks of its own): the one recursive
    /// structure of OpenAPI besides schemas.
    Callbacks { depth: usize },
    /// `depth` levels of a diamond: each schema inherits from the next through two branches that both
    /// reach it, so a walk that does not remember where it has been doubles at each level.
    Diamond { depth: usize },
}

/// A spec holding every part (each under its own path and component names), as JSON text.
pub fn spec(parts: &[Part]) -> String {
    let mut paths = String::new();
    let mut components = String::new();
    for (index, part) in parts.iter().enumerate() {
        let mut out = Out { paths: &mut paths, components: &mut components, prefix: format!("P{index}") };
        out.part(*part);
    }
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"hostile","version":"1"}},"paths":{{{}}},"components":{{"schemas":{{{}}}}}}}"#,
        paths.trim_end_matches(','),
        components.trim_end_matches(',')
    )
}

/// One `$ref` to a component schema.
fn reference(name: &str) -> String {
    format!(r##"{{"$ref":"#/components/schemas/{name}"}}"##)
}

struct Out<'a> {
    paths: &'a mut String,
    components: &'a mut String,
    prefix: String,
}

impl Out<'_> {
    /// An operation `GET /<prefix><suffix>` answering `schema` (and taking `parameters`).
    fn operation(&mut self, suffix: &str, operation_id: &str, parameters: &str, schema: &str) {
        let _ = write!(
            self.paths,
            r#""/{}{suffix}":{{"get":{{"operationId":"{operation_id}","parameters":[{parameters}],"responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{schema}}}}}}}}}}}}},"#,
            self.prefix
        );
    }

    /// An operation answering an object with `props` (the text of its `properties` mapping).
    fn object(&mut self, operation_id: &str, props: &str) {
        self.operation("", operation_id, "", &format!(r#"{{"type":"object","properties":{{{props}}}}}"#));
    }

    fn component(&mut self, name: &str, schema: &str) {
        let _ = write!(self.components, r#""{name}":{schema},"#);
    }

    fn part(&mut self, part: Part) {
        let p = self.prefix.clone();
        match part {
            Part::Nested { via, depth } => {
                let mut schema = r#"{"type":"string"}"#.to_owned();
                for _ in 0..depth {
                    schema = via.wrap(&schema);
                }
                self.operation("", &format!("{p}nested"), "", &schema);
            }
            Part::Chain { via, length, cycle } => {
                let length = length.max(1);
                for i in 0..length {
                    let next = if i + 1 < length {
                        reference(&format!("{p}S{}", i + 1))
                    } else if cycle {
                        reference(&format!("{p}S0"))
                    } else {
                        r#"{"type":"string"}"#.to_owned()
                    };
                    let schema = via.wrap(&next);
                    self.component(&format!("{p}S{i}"), &schema);
                }
                self.operation("", &format!("{p}chain"), "", &reference(&format!("{p}S0")));
            }
            Part::Siblings { kind, count } => self.siblings(kind, count),
            Part::Inheritance { depth, width } => {
                let depth = depth.max(1);
                for i in 0..depth {
                    let props: Vec<String> = (0..width).map(|w| format!(r#""l{i}p{w}":{{"type":"string"}}"#)).collect();
                    let parent = if i + 1 < depth {
                        format!(r#""allOf":[{}],"#, reference(&format!("{p}L{}", i + 1)))
                    } else {
                        String::new()
                    };
                    self.component(
                        &format!("{p}L{i}"),
                        &format!(r#"{{{parent}"type":"object","properties":{{{}}}}}"#, props.join(",")),
                    );
                }
                // Every level is used, so every level is a struct of its own.
                for i in 0..depth {
                    self.operation(&format!("/l{i}"), &format!("{p}level{i}"), "", &reference(&format!("{p}L{i}")));
                }
            }
            Part::Fanout { fields, width } => {
                let props: Vec<String> = (0..width).map(|w| format!(r#""w{w}":{{"type":"string"}}"#)).collect();
                self.component(
                    &format!("{p}Wide"),
                    &format!(r#"{{"type":"object","properties":{{{}}}}}"#, props.join(",")),
                );
                let uses: Vec<String> =
                    (0..fields).map(|f| format!(r#""f{f}":{}"#, reference(&format!("{p}Wide")))).collect();
                self.operation(
                    "",
                    &format!("{p}fanout"),
                    "",
                    &format!(r#"{{"type":"object","properties":{{{}}}}}"#, uses.join(",")),
                );
            }
            Part::EnumFanout { fields, width } => {
                let values: Vec<String> = (0..width).map(|w| format!(r#""E{w}""#)).collect();
                self.component(&format!("{p}Enum"), &format!(r#"{{"type":"string","enum":[{}]}}"#, values.join(",")));
                let uses: Vec<String> =
                    (0..fields).map(|f| format!(r#""f{f}":{}"#, reference(&format!("{p}Enum")))).collect();
                self.component(
                    &format!("{p}Obj"),
                    &format!(r#"{{"type":"object","properties":{{{}}}}}"#, uses.join(",")),
                );
                let union = format!(r#"{{"oneOf":[{},{{"type":"integer"}}]}}"#, reference(&format!("{p}Obj")));
                self.operation("", &format!("{p}enumfanout"), "", &union);
            }
            Part::Tags { operations, shared } => {
                let shared = shared.max(1);
                for i in 0..shared {
                    let next = if i + 1 < shared {
                        format!(r#""next":{}"#, reference(&format!("{p}T{}", i + 1)))
                    } else {
                        r#""last":{"type":"string"}"#.to_owned()
                    };
                    self.component(&format!("{p}T{i}"), &format!(r#"{{"type":"object","properties":{{{next}}}}}"#));
                }
                for o in 0..operations {
                    let _ = write!(
                        self.paths,
                        r#""/{p}/t{o}":{{"get":{{"operationId":"{p}tagged{o}","tags":["{p}tag{o}"],"responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{}}}}}}}}}}}}},"#,
                        reference(&format!("{p}T0"))
                    );
                }
            }
            Part::Callbacks { depth } => {
                let mut operation = r#"{"responses":{"200":{"description":"x"}}}"#.to_owned();
                for _ in 0..depth {
                    operation = format!(
                        r#"{{"callbacks":{{"c":{{"{{$request.body#/url}}":{{"post":{operation}}}}}}},"responses":{{"200":{{"description":"x"}}}}}}"#
                    );
                }
                let _ = write!(
                    self.paths,
                    r#""/{p}callbacks":{{"get":{{"operationId":"{p}callbacks","callbacks":{{"c":{{"{{$url}}":{{"post":{operation}}}}}}},"responses":{{"200":{{"description":"OK"}}}}}}}},"#
                );
            }
            Part::Diamond { depth } => {
                let depth = depth.max(1);
                for i in 0..depth {
                    let schema = if i + 1 < depth {
                        let next = reference(&format!("{p}D{}", i + 1));
                        format!(
                            r#"{{"allOf":[{{"allOf":[{next}]}},{{"allOf":[{next}]}}],"properties":{{"d{i}":{{"type":"string"}}}}}}"#
                        )
                    } else {
                        r#"{"type":"object","properties":{"bottom":{"type":"string"}}}"#.to_owned()
                    };
                    self.component(&format!("{p}D{i}"), &schema);
                }
                self.operation("", &format!("{p}diamond"), "", &reference(&format!("{p}D0")));
            }
        }
    }

    fn siblings(&mut self, kind: Sibling, count: usize) {
        let p = self.prefix.clone();
        let list = |f: &dyn Fn(usize) -> String| (0..count).map(f).collect::<Vec<_>>().join(",");
        match kind {
            Sibling::Properties => {
                let props = list(&|i| format!(r#""p{i}":{{"type":"string"}}"#));
                self.object(&format!("{p}props"), &props);
            }
            Sibling::Components => {
                for i in 0..count {
                    self.component(&format!("{p}C{i}"), r#"{"type":"object","properties":{"a":{"type":"string"}}}"#);
                }
                let props = list(&|i| format!(r#""c{i}":{}"#, reference(&format!("{p}C{i}"))));
                self.object(&format!("{p}components"), &props);
            }
            Sibling::EnumValues => {
                let values = list(&|i| format!(r#""V{i}""#));
                self.operation("", &format!("{p}enum"), "", &format!(r#"{{"type":"string","enum":[{values}]}}"#));
            }
            Sibling::Operations => {
                for i in 0..count {
                    self.operation(&format!("/o{i}"), &format!("{p}op{i}"), "", r#"{"type":"string"}"#);
                }
            }
            Sibling::Parameters => {
                let params = list(&|i| format!(r#"{{"name":"q{i}","in":"query","schema":{{"type":"string"}}}}"#));
                self.operation("", &format!("{p}params"), &params, r#"{"type":"string"}"#);
            }
            Sibling::Branches => {
                let branches = list(&|i| {
                    format!(r#"{{"type":"object","required":["b{i}"],"properties":{{"b{i}":{{"type":"string"}}}}}}"#)
                });
                self.operation("", &format!("{p}branches"), "", &format!(r#"{{"oneOf":[{branches}]}}"#));
            }
            Sibling::MappingEntries => {
                for i in 0..count {
                    self.component(&format!("{p}M{i}"), r#"{"type":"object","properties":{"kind":{"type":"string"}}}"#);
                }
                let branches = list(&|i| reference(&format!("{p}M{i}")));
                let mapping = list(&|i| format!(r##""m{i}":"#/components/schemas/{p}M{i}""##));
                self.operation(
                    "",
                    &format!("{p}mapping"),
                    "",
                    &format!(
                        r#"{{"oneOf":[{branches}],"discriminator":{{"propertyName":"kind","mapping":{{{mapping}}}}}}}"#
                    ),
                );
            }
            Sibling::ClashingProperties => {
                let props = list(&|i| format!(r#""{}":{{"type":"string"}}"#, clashing(i, "a")));
                self.object(&format!("{p}clash"), &props);
            }
            Sibling::ClashingEnumValues => {
                let values = list(&|i| format!(r#""{}""#, clashing(i, "v")));
                self.operation("", &format!("{p}clashenum"), "", &format!(r#"{{"type":"string","enum":[{values}]}}"#));
            }
            Sibling::ClashingComponents => {
                for i in 0..count {
                    self.component(
                        &format!("{p}{}", clashing(i, "x")),
                        r#"{"type":"object","properties":{"a":{"type":"string"}}}"#,
                    );
                }
                let props = list(&|i| format!(r#""c{i}":{}"#, reference(&format!("{p}{}", clashing(i, "x")))));
                self.object(&format!("{p}clashtypes"), &props);
            }
            Sibling::ClashingOperations => {
                for i in 0..count {
                    self.operation(&format!("/c{i}"), &format!("{p}{}", clashing(i, "op")), "", r#"{"type":"string"}"#);
                }
            }
            Sibling::IdUsers | Sibling::Patterns => {
                for i in 0..count {
                    let pattern = if kind == Sibling::IdUsers {
                        "^[0-9a-f]{24}$".to_owned()
                    } else {
                        format!("^(a{{1,{}}}){{1,1000}}$", 100 + i)
                    };
                    let _ = write!(
                        self.paths,
                        r#""/{p}/i{i}/{{id}}":{{"get":{{"operationId":"{p}id{i}","parameters":[{{"name":"id","in":"path","required":true,"schema":{{"type":"string","pattern":"{pattern}"}}}}],"responses":{{"200":{{"description":"OK","content":{{"application/json":{{"schema":{{"type":"string"}}}}}}}}}}}}}},"#
                    );
                }
            }
            Sibling::Responses => {
                let responses: Vec<String> = (0..count.min(100))
                    .map(|i| {
                        format!(
                            r#""{}":{{"description":"OK","content":{{"application/json":{{"schema":{{"type":"object","properties":{{"r{i}":{{"type":"string"}}}}}}}}}}}}"#,
                            200 + i
                        )
                    })
                    .collect();
                let responses = responses.join(",");
                let _ = write!(
                    self.paths,
                    r#""/{p}responses":{{"get":{{"operationId":"{p}responses","responses":{{{responses}}}}}}},"#
                );
            }
        }
    }
}

/// The `i`-th of many distinct spellings of `base` that all become the same identifier: `base` with its
/// case flipped by the lowest bit of `i` and the rest of `i` spelled in symbols, which case conversion
/// drops (`a`, `A`, `a!`, `A!`, `a$`, ...). Short: the spelling grows with the logarithm of `i`.
pub fn clashing(i: usize, base: &str) -> String {
    const SYMBOLS: [char; 8] = ['!', '$', '&', '*', '+', '=', '@', '^'];
    let mut name = if i.is_multiple_of(2) { base.to_owned() } else { base.to_uppercase() };
    let mut rest = i / 2;
    while rest > 0 {
        name.push(SYMBOLS[rest % 8]);
        rest /= 8;
    }
    name
}

/// Reads fuzz bytes as parts: each part is four bytes (what, which keyword or kind, and a size), so a
/// handful of bytes describes megabytes of spec, and a byte flipped is a structural change. Sizes are
/// capped by `max_size` (the fuzz target keeps each input under its time bound).
pub fn parts_from_bytes(bytes: &[u8], max_size: usize) -> Vec<Part> {
    bytes
        .chunks_exact(4)
        .take(8)
        .map(|chunk| {
            let size = (usize::from(chunk[2]) << 8 | usize::from(chunk[3])) % max_size.max(1);
            match chunk[0] % 9 {
                0 => Part::Nested { via: Via::ALL[usize::from(chunk[1] & 0x7f) % Via::ALL.len()], depth: size },
                1 => Part::Chain {
                    via: Via::ALL[usize::from(chunk[1] & 0x7f) % Via::ALL.len()],
                    length: size,
                    cycle: chunk[1] & 0x80 != 0,
                },
                2 => Part::Siblings { kind: Sibling::ALL[usize::from(chunk[1]) % Sibling::ALL.len()], count: size },
                3 => Part::Inheritance { depth: size, width: usize::from(chunk[1] % 8) },
                4 => Part::Fanout { fields: size, width: size },
                5 => Part::Tags { operations: size, shared: size },
                6 => Part::EnumFanout { fields: size, width: size },
                7 => Part::Callbacks { depth: size },
                _ => Part::Diamond { depth: size },
            }
        })
        .collect()
}

/// The bytes [`parts_from_bytes`] reads as `parts` (sizes modulo 65,536): the fuzz target's seeds.
pub fn bytes_of(parts: &[Part]) -> Vec<u8> {
    let index = |via: Via| Via::ALL.iter().position(|v| *v == via).unwrap_or(0) as u8;
    let mut out = Vec::new();
    for part in parts {
        let (what, which, size) = match *part {
            Part::Nested { via, depth } => (0, index(via), depth),
            Part::Chain { via, length, cycle } => (1, index(via) + if cycle { 128 } else { 0 }, length),
            Part::Siblings { kind, count } => {
                (2, Sibling::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u8, count)
            }
            Part::Inheritance { depth, width } => (3, (width % 8) as u8, depth),
            Part::Fanout { fields, .. } => (4, 0, fields),
            Part::Tags { operations, .. } => (5, 0, operations),
            Part::EnumFanout { fields, .. } => (6, 0, fields),
            Part::Callbacks { depth } => (7, 0, depth),
            Part::Diamond { depth } => (8, 0, depth),
        };
        out.extend([what, which, (size >> 8) as u8, size as u8]);
    }
    out
}

/// The same parts at half their size: a generator that is linear in a part's size takes about half the
/// time on them, one that is quadratic a quarter (the fuzz target's test of growth).
pub fn halved(parts: &[Part]) -> Vec<Part> {
    parts
        .iter()
        .map(|part| match *part {
            Part::Nested { via, depth } => Part::Nested { via, depth: depth / 2 },
            Part::Chain { via, length, cycle } => Part::Chain { via, length: length / 2, cycle },
            Part::Siblings { kind, count } => Part::Siblings { kind, count: count / 2 },
            Part::Inheritance { depth, width } => Part::Inheritance { depth: depth / 2, width },
            Part::Fanout { fields, width } => Part::Fanout { fields: fields / 2, width: width / 2 },
            Part::Tags { operations, shared } => Part::Tags { operations: operations / 2, shared: shared / 2 },
            Part::EnumFanout { fields, width } => Part::EnumFanout { fields: fields / 2, width: width / 2 },
            Part::Callbacks { depth } => Part::Callbacks { depth: depth / 2 },
            Part::Diamond { depth } => Part::Diamond { depth: depth / 2 },
        })
        .collect()
}

/// A spread of every construct at sizes that take a fraction of a second: the fuzz target's seeds (written
/// by `cargo xtask fuzz`).
pub fn seeds() -> Vec<(String, Vec<Part>)> {
    let mut out = Vec::new();
    for via in Via::ALL {
        out.push((format!("nested-{via:?}"), vec![Part::Nested { via, depth: 100 / via.levels() }]));
        out.push((format!("chain-{via:?}"), vec![Part::Chain { via, length: 400, cycle: false }]));
    }
    for kind in Sibling::ALL {
        // A large pattern takes tens of milliseconds to compile: a few are enough.
        let count = if kind == Sibling::Patterns { 8 } else { 400 };
        out.push((format!("siblings-{kind:?}"), vec![Part::Siblings { kind, count }]));
    }
    out.push(("inheritance".to_owned(), vec![Part::Inheritance { depth: 60, width: 2 }]));
    out.push(("fanout".to_owned(), vec![Part::Fanout { fields: 600, width: 600 }]));
    out.push(("tags".to_owned(), vec![Part::Tags { operations: 200, shared: 200 }]));
    out.push(("enum-fanout".to_owned(), vec![Part::EnumFanout { fields: 200, width: 200 }]));
    out.push(("callbacks".to_owned(), vec![Part::Callbacks { depth: 40 }]));
    out.push(("diamond".to_owned(), vec![Part::Diamond { depth: 60 }]));
    out
}
