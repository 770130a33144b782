//! The record from text: read by the one reader (so errors have lines), shaped by serde (so a misspelt key
//! is an error, not ignored), then every type and member spelling checked, each problem located.

use super::spelling::{parse_field_ty, parse_member, parse_ty};
use super::{FORMAT, Record};
use crate::diagnostics::Diagnostics;
use crate::spec::Document;
use crate::spec::pointer::from_tokens;

/// Reads a record; `name` is how messages call the file. Empty text is the empty record.
pub fn parse(text: &str, name: &str) -> Result<Record, Diagnostics> {
    let blank = |line: &str| line.trim().is_empty() || line.trim_start().starts_with('#');
    if text.lines().all(blank) {
        return Ok(Record::default());
    }
    let document = Document::read(text, name)?;
    if document.root.is_null() {
        return Ok(Record::default());
    }
    let record: Record = match serde_path_to_error::deserialize(&document.root) {
        Ok(record) => record,
        Err(error) => {
            let mut diagnostics = Diagnostics::new(name);
            let pointer = crate::lower::path_to_pointer(error.path());
            diagnostics.push(pointer, format!("not a record of names and versions: {}", error.inner()));
            return Err(document.locate(diagnostics));
        }
    };
    let mut diagnostics = Diagnostics::new(name);
    if record.format != FORMAT {
        diagnostics
            .push("/format", format!("record format {} is not the one this generator reads ({FORMAT})", record.format));
    }
    check_spellings(&record, &mut diagnostics);
    document.locate(diagnostics).into_result()?;
    Ok(record)
}

/// Every type and member text of the record, parsed once here so that later stages can rely on them.
fn check_spellings(record: &Record, diagnostics: &mut Diagnostics) {
    let mut member = |tokens: &[&str], text: &str, field: bool| {
        let parsed = parse_member(text)
            .and_then(|(_, ty)| if field { parse_field_ty(ty).map(|_| ()) } else { parse_ty(ty).map(|_| ()) });
        if let Err(message) = parsed {
            diagnostics.push(from_tokens(tokens), message);
        }
    };
    for (key, op) in &record.operations {
        for (section, members) in [("args", &op.args), ("options", &op.options)] {
            for (param, text) in members {
                member(&["operations", key, section, param], text, false);
            }
        }
        if let Some(body) = &op.body {
            member(&["operations", key, "body"], body, false);
        }
    }
    if let Some(headers) = &record.headers {
        for (header, text) in &headers.fields {
            member(&["headers", "fields", header], text, false);
        }
    }
    for (key, ty) in &record.types {
        for (property, text) in ty.fields.iter().flatten() {
            member(&["types", key, "fields", property], text, true);
        }
    }
    let mut plain = |tokens: &[&str], text: &str| {
        if let Err(message) = parse_ty(text) {
            diagnostics.push(from_tokens(tokens), message);
        }
    };
    for (key, op) in &record.operations {
        for (status, text) in &op.success {
            if text != "()" {
                plain(&["operations", key, "success", status], text);
            }
        }
    }
    for (key, ty) in &record.types {
        for (variant, payload) in ty.variants.iter().flatten() {
            plain(&["types", key, "variants", variant, "type"], &payload.ty);
        }
        for (section, text) in [("alias", &ty.alias), ("newtype", &ty.newtype)] {
            if let Some(text) = text {
                plain(&["types", key, section], text);
            }
        }
    }
    if let Some(error) = &record.error {
        plain(&["error"], error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_the_empty_record() {
        assert_eq!(parse("", "r.yaml").unwrap(), Record::default());
        assert_eq!(parse("# only a comment\n", "r.yaml").unwrap(), Record::default());
    }

    #[test]
    fn problems_are_located() {
        let text = "format: 1\ntypes:\n  schemas/A:\n    name: A\n    fields:\n      id: id Vec<Strin>\n";
        let error = parse(text, "r.yaml").unwrap_err();
        assert_eq!(error.items[0].pointer, "/types/schemas~1A/fields/id");
        assert_eq!(error.items[0].line, Some(6));
        let misspelt = parse("format: 1\noperatoins: {}\n", "r.yaml").unwrap_err();
        assert!(misspelt.to_string().contains("unknown field `operatoins`"), "{misspelt}");
        let future = parse("format: 9\n", "r.yaml").unwrap_err();
        assert!(future.to_string().contains("record format 9"), "{future}");
    }
}
