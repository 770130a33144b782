//! Golden files: each sample spec under `goldens/specs/` and the source it must generate, under
//! `goldens/expected/<name>/`. Accept an intended change with `EXPECTORATE=overwrite cargo test -p codegen`.
//! The goldens are also compiled: the `codegen-goldens` crate (`golden-crate/`) mounts every one of them.

mod support;

use std::path::{Path, PathBuf};

use support::record_for;

fn specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens/specs");
    let mut specs: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("goldens/specs exists").flatten().map(|e| e.path()).collect();
    specs.sort();
    assert!(!specs.is_empty(), "no golden specs in {}", dir.display());
    specs
}

/// The goldens are generated as the workspace generates the client: with a pagination convention.
fn options() -> codegen::Options {
    codegen::Options {
        pagination: Some(codegen::Pagination {
            page_param: "pageNum".into(),
            size_param: "itemsPerPage".into(),
            items_property: "results".into(),
            total_property: Some("totalCount".into()),
        }),
        ..codegen::Options::default()
    }
}

fn stem(spec: &Path) -> String {
    spec.file_stem().expect("a file name").to_string_lossy().into_owned()
}

#[test]
fn every_golden_spec_generates_its_expected_source() {
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).expect("readable spec");
        let name = stem(&spec);
        let file = format!("goldens/specs/{}", spec.file_name().unwrap_or_default().to_string_lossy());
        let document = codegen::spec::Document::read(&text, &file).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        let generated = codegen::generate_document(&document, &options(), &record_for(&spec, &options()))
            .unwrap_or_else(|d| panic!("{name} should generate:\n{d}"));
        let expected_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/goldens/expected/{name}"));
        for (file, contents) in &generated.files {
            let parent = expected_dir.join(file).parent().expect("a parent").to_path_buf();
            std::fs::create_dir_all(parent).expect("can create the expected folder");
            expectorate::assert_contents(format!("tests/goldens/expected/{name}/{file}"), contents);
        }
    }
}

#[test]
fn generation_is_byte_identical_run_to_run() {
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).expect("readable spec");
        let first = codegen::generate_with(&text, "spec", &options()).expect("generates");
        let second = codegen::generate_with(&text, "spec", &options()).expect("generates");
        assert_eq!(first, second, "{} generated differently twice", spec.display());
    }
}

/// The record a generation writes is a fixed point: generating again with it changes no file and no name,
/// so a regeneration that changes nothing in the spec changes nothing in the client.
#[test]
fn generating_with_its_own_record_changes_nothing() {
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).expect("readable spec");
        let document = codegen::spec::Document::read(&text, "spec").expect("reads");
        let first =
            codegen::generate_document(&document, &options(), &record_for(&spec, &options())).expect("generates");
        let second = codegen::generate_document(&document, &options(), &first.record).expect("generates");
        assert_eq!(first.files, second.files, "{}: files moved on a second regeneration", spec.display());
        assert_eq!(first.record, second.record, "{}: the record moved on a second regeneration", spec.display());
        let reread = codegen::record::parse(&first.record.to_text(), "record.yaml").expect("the record reads back");
        assert_eq!(reread, first.record, "{}: the record's text does not round-trip", spec.display());
    }
}

#[test]
fn every_golden_is_compiled_by_the_golden_crate() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden-crate/src/lib.rs"))
        .expect("golden-crate/src/lib.rs exists");
    for spec in specs() {
        let mount = format!("\"../../goldens/expected/{}/mod.rs\"", stem(&spec));
        assert!(lib.contains(&mount), "golden-crate/src/lib.rs does not mount {mount}, so that golden is not compiled");
    }
}

/// Small targeted checks: one emission rule, the line that shows it.
mod rules {
    fn generate(spec: &str) -> String {
        let text = std::fs::read_to_string(format!("{}/tests/goldens/specs/{spec}", env!("CARGO_MANIFEST_DIR")))
            .expect("spec");
        codegen::generate_with(&text, spec, &super::options())
            .expect("generates")
            .files
            .values()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_newest_dated_version_becomes_the_accept_header() {
        assert!(generate("petstore.yaml").contains("\"application/vnd.pets.2024-06-30+json\""));
    }

    #[test]
    fn a_deprecated_operation_is_deprecated_in_rust() {
        assert!(
            generate("petstore.yaml").contains("#[deprecated(note = \"deletePet is deprecated in the API spec\")]")
        );
    }

    #[test]
    fn a_pattern_becomes_a_validated_id_type() {
        let source = generate("petstore.yaml");
        assert!(source.contains("pub struct StoreId(String);"));
        assert!(
            source.contains(
                "crate::runtime::impl_id!(StoreId, Some(\"^([a-f0-9]{24})$\"), pattern, Some(24), Some(24));"
            )
        );
        assert!(source.contains("crate::runtime::IdPiece::class(&[('0', '9'), ('a', 'f')], 24, Some(24))"), "{source}");
    }

    #[test]
    fn a_pattern_beyond_text_and_classes_is_checked_with_regex_and_says_so() {
        let source = generate("regex-id-pattern.yaml");
        assert!(
            source
                .contains("crate::runtime::impl_id!(RegionName, Some(\"^(us|eu)-[a-z]+-[0-9]$\"), regex, None, None);"),
            "{source}"
        );
        assert!(source.contains("crate::runtime::IdPiece::text(\"pcx-\")"), "{source}");
        let text = std::fs::read_to_string(format!(
            "{}/tests/goldens/specs/regex-id-pattern.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("spec");
        let generated = codegen::generate_with(&text, "regex-id-pattern.yaml", &super::options()).expect("generates");
        assert_eq!(generated.extra_dependencies, ["regex"]);
        let petstore =
            std::fs::read_to_string(format!("{}/tests/goldens/specs/petstore.yaml", env!("CARGO_MANIFEST_DIR")))
                .expect("spec");
        let generated = codegen::generate_with(&petstore, "petstore.yaml", &super::options()).expect("generates");
        assert!(generated.extra_dependencies.is_empty());
    }

    #[test]
    fn keywords_become_raw_identifiers_and_keep_their_wire_name() {
        let source = generate("petstore.yaml");
        assert!(source.contains("pub r#type: Option<String>"));
        // Sent and read by the wire name: `impl_object!(Pet, { .., r#type: "type" optional, .. })`.
        assert!(source.contains("r#type : \"type\" optional,"), "{source}");
        assert!(source.contains("weight_kg : \"weightKg\" optional,"), "{source}");
    }

    #[test]
    fn only_a_request_that_is_safe_to_repeat_walks_pages() {
        let source = generate("paginated-post.yaml");
        assert!(source.contains("impl crate::runtime::Paginated for ListWidgets<'_>"), "the GET pages");
        // Each further page would send the POST (and create the things) again.
        assert!(!source.contains("Paginated for CreateWidgets"), "a POST must not offer pages()");
    }

    #[test]
    fn a_string_answer_described_as_sensitive_or_a_password_is_a_secret() {
        let source = generate("text-answers.yaml");
        // The inherent impl of a builder: from its `impl` line to the next item.
        let builder_impl = |builder: &str| {
            let start = source.find(&format!("\nimpl {builder}<'_> {{")).expect("the builder's impl");
            let rest = &source[start + 1..];
            rest[..rest.find("\n}\n").unwrap_or(rest.len())].to_owned()
        };
        for builder in ["CreateUserCert", "ResetPassword"] {
            assert!(
                builder_impl(builder).contains("ApiResponse<crate::runtime::Secret, super::ResponseHeaders>"),
                "{builder}"
            );
        }
        assert!(
            builder_impl("GetMetadata").contains("ApiResponse<String, super::ResponseHeaders>"),
            "a plain string stays a String"
        );
    }

    #[test]
    fn a_response_without_schema_means_no_body() {
        assert!(generate("petstore.yaml").contains("crate::runtime::ApiResponse<(), super::ResponseHeaders>"));
    }

    #[test]
    fn header_includes_the_spec_sha256() {
        let text = std::fs::read_to_string(format!("{}/tests/goldens/specs/minimal.json", env!("CARGO_MANIFEST_DIR")))
            .expect("spec");
        let generated = codegen::generate(&text, "minimal.json").expect("generates");
        use sha2_check::hex_sha256;
        for contents in generated.files.values() {
            assert!(contents.starts_with(&format!(
                "// Generated by `cargo xtask regenerate` from minimal.json (sha256 {}).",
                hex_sha256(&text)
            )));
        }
    }

    mod sha2_check {
        pub(super) fn hex_sha256(text: &str) -> String {
            use sha2::{Digest, Sha256};
            Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
        }
    }
}
