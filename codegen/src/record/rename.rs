//! A deliberate rename: the one change of a recorded name a maintainer makes on purpose
//! (`cargo xtask regenerate --rename OLD=NEW`). Every definition called `OLD` (a client method, a request
//! builder, an answer enum, the headers struct, a data type, an id type) is called `NEW`, and every type
//! the record spells with it (`types::OLD`, `ids::OLD`) follows; the next generation uses the new name.

use super::Record;
use super::spelling::{field_ty, identifier, member, parse_field_ty, parse_member, parse_ty, ty};
use crate::plan::Ty;

impl Record {
    /// Renames every recorded item called `old` to `new`; the number of definitions renamed. Fails, changing
    /// nothing, when `new` is not an identifier or is already a recorded name, or nothing is called `old`.
    pub fn rename(&mut self, old: &str, new: &str) -> Result<usize, String> {
        identifier(new)?;
        if self.names().any(|name| name == new) {
            return Err(format!("`{new}` is already a name of the client"));
        }
        let mut renamed = self.clone();
        let mut count = 0;
        let mut swap = |name: &mut String| {
            if name == old {
                *name = new.to_owned();
                count += 1;
            }
        };
        for op in renamed.operations.values_mut() {
            swap(&mut op.method);
            swap(&mut op.builder);
            if let Some(answer) = &mut op.answer {
                swap(&mut answer.name);
            }
        }
        if let Some(headers) = &mut renamed.headers {
            swap(&mut headers.name);
        }
        for ty in renamed.types.values_mut() {
            swap(&mut ty.name);
        }
        if let Some(id) = renamed.ids.remove(old) {
            renamed.ids.insert(new.to_owned(), id);
            count += 1;
        }
        if count == 0 {
            return Err(format!("the record has nothing called `{old}`"));
        }
        renamed.respell(old, new);
        *self = renamed;
        Ok(count)
    }

    /// Every Rust name the record gives a definition.
    fn names(&self) -> impl Iterator<Item = &str> {
        let operations = self.operations.values().flat_map(|op| {
            [Some(op.method.as_str()), Some(op.builder.as_str()), op.answer.as_ref().map(|a| a.name.as_str())]
        });
        operations
            .flatten()
            .chain(self.headers.iter().map(|h| h.name.as_str()))
            .chain(self.types.values().map(|t| t.name.as_str()))
            .chain(self.ids.keys().map(String::as_str))
    }

    /// Rewrites every spelled type that names `old` (as a data type or an id type) to name `new`.
    fn respell(&mut self, old: &str, new: &str) {
        let plain = |text: &mut String| {
            if let Ok(parsed) = parse_ty(text) {
                *text = ty(&renamed(parsed, old, new));
            }
        };
        let param = |text: &mut String| {
            if let Ok((name, spelled)) = parse_member(text)
                && let Ok(parsed) = parse_ty(spelled)
            {
                *text = member(name, &ty(&renamed(parsed, old, new)));
            }
        };
        for op in self.operations.values_mut() {
            op.args.values_mut().chain(op.options.values_mut()).chain(op.body.iter_mut()).for_each(param);
            op.success.values_mut().filter(|text| *text != "()").for_each(plain);
        }
        if let Some(headers) = &mut self.headers {
            headers.fields.values_mut().for_each(param);
        }
        self.error.iter_mut().for_each(plain);
        for record in self.types.values_mut() {
            for text in record.fields.iter_mut().flat_map(|fields| fields.values_mut()) {
                if let Ok((name, spelled)) = parse_member(text)
                    && let Ok((parsed, presence)) = parse_field_ty(spelled)
                {
                    *text = member(name, &field_ty(&renamed(parsed, old, new), presence));
                }
            }
            for variant in record.variants.iter_mut().flat_map(|variants| variants.values_mut()) {
                plain(&mut variant.ty);
            }
            record.alias.iter_mut().chain(record.newtype.iter_mut()).for_each(plain);
        }
    }
}

fn renamed(ty: Ty, old: &str, new: &str) -> Ty {
    match ty {
        Ty::Named(name) if name == old => Ty::Named(new.to_owned()),
        Ty::Id(name) if name == old => Ty::Id(new.to_owned()),
        Ty::Vec(inner) => Ty::Vec(Box::new(renamed(*inner, old, new))),
        Ty::Map(inner) => Ty::Map(Box::new(renamed(*inner, old, new))),
        Ty::Boxed(inner) => Ty::Boxed(Box::new(renamed(*inner, old, new))),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::record::parse;

    const RECORD: &str = "format: 1\noperations:\n  GET /a/{}:\n    operation_id: getA\n    method: get_a\n    builder: GetA\n    \
        module: m\n    args:\n      path aId: a_id ids::AId\n    success:\n      2xx: types::Thing\nids:\n  AId:\n    param: aId\n    \
        pattern: x\ntypes:\n  schemas/Thing:\n    name: Thing\n    fields:\n      parts: parts Option<Vec<types::Part>>\n  \
        schemas/Part:\n    name: Part\n    fields:\n      id: id Option<String>\n";

    #[test]
    fn a_rename_follows_every_reference() {
        let mut record = parse(RECORD, "r.yaml").unwrap();
        assert_eq!(record.rename("Part", "Piece"), Ok(1));
        assert_eq!(record.types["schemas/Part"].name, "Piece");
        assert_eq!(record.types["schemas/Thing"].fields.as_ref().unwrap()["parts"], "parts Option<Vec<types::Piece>>");
        assert_eq!(record.rename("get_a", "fetch_a"), Ok(1));
        assert_eq!(record.operations["GET /a/{}"].method, "fetch_a");
        assert_eq!(record.rename("AId", "ThingId"), Ok(1));
        assert_eq!(record.operations["GET /a/{}"].args["path aId"], "a_id ids::ThingId");
        // The text still reads back.
        assert_eq!(parse(&record.to_text(), "r.yaml").unwrap(), record);
    }

    #[test]
    fn a_rename_onto_a_taken_or_missing_name_changes_nothing() {
        let mut record = parse(RECORD, "r.yaml").unwrap();
        let before = record.clone();
        assert!(record.rename("Part", "Thing").unwrap_err().contains("already a name"));
        assert!(record.rename("Nothing", "Else").unwrap_err().contains("nothing called `Nothing`"));
        assert!(record.rename("Part", "not an ident").is_err());
        assert_eq!(record, before);
    }
}
