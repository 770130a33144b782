//! Cargo features per module: each type and id is compiled under the features of the modules whose
//! operations reach it, so a user who enables one tag compiles only what that tag uses.

use std::collections::{BTreeSet, HashMap};

use crate::plan::{BodyKind, Cfg, IdDef, OpDef, Success, Ty, TypeDef, TypeKind};

/// Sets `cfg` on every type and id.
pub(crate) fn assign(ops: &[OpDef], types: &mut [TypeDef], ids: &mut [IdDef], error_body: &Ty, modules: usize) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut type_modules: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    let mut id_modules: HashMap<String, BTreeSet<usize>> = HashMap::new();
    let all: BTreeSet<usize> = (0..modules).collect();
    let mut roots: Vec<(Ty, BTreeSet<usize>)> = vec![(error_body.clone(), all.clone())];
    for op in ops {
        let here = BTreeSet::from([op.module]);
        for ty in op_types(op) {
            roots.push((ty, here.clone()));
        }
    }
    for (root, marks) in roots {
        // Walk what the root reaches, adding `marks` where they are new.
        let mut stack = vec![root];
        while let Some(ty) = stack.pop() {
            let mut found = Vec::new();
            leaf_names(&ty, &mut found);
            for leaf in found {
                match leaf {
                    Leaf::Id(name) => id_modules.entry(name).or_default().extend(marks.iter().copied()),
                    Leaf::Named(name) => {
                        let Some(&i) = index.get(&name) else { continue };
                        if marks.is_subset(&type_modules[i]) {
                            continue;
                        }
                        type_modules[i].extend(marks.iter().copied());
                        stack.extend(referenced(&types[i].kind));
                    }
                }
            }
        }
    }
    let cfg = |set: &BTreeSet<usize>| -> Cfg { if *set == all { None } else { Some(set.clone()) } };
    for (i, def) in types.iter_mut().enumerate() {
        def.cfg = cfg(&type_modules[i]);
    }
    for id in ids {
        id.cfg = cfg(&id_modules.get(&id.name).cloned().unwrap_or_default());
    }
}

enum Leaf {
    Named(String),
    Id(String),
}

fn leaf_names(ty: &Ty, out: &mut Vec<Leaf>) {
    let mut current = ty;
    loop {
        match current {
            Ty::Named(name) => return out.push(Leaf::Named(name.clone())),
            Ty::Id(name) => return out.push(Leaf::Id(name.clone())),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => current = inner,
            _ => return,
        }
    }
}

fn op_types(op: &OpDef) -> Vec<Ty> {
    let mut out: Vec<Ty> = op.args.iter().chain(&op.options).map(|p| p.ty.clone()).collect();
    out.extend(op.body.iter().map(|b| b.ty.clone()));
    let kinds: Vec<&BodyKind> = match &op.success {
        Success::Single(kind) => vec![kind],
        Success::PerStatus { variants, .. } => variants.iter().map(|v| &v.body).collect(),
    };
    out.extend(kinds.into_iter().filter_map(|k| match k {
        BodyKind::Json(ty) => Some(ty.clone()),
        _ => None,
    }));
    out
}

fn referenced(kind: &TypeKind) -> Vec<Ty> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| f.ty.clone()).collect(),
        TypeKind::Tagged { variants, .. } | TypeKind::Untagged { variants, .. } => {
            variants.iter().map(|v| v.ty.clone()).collect()
        }
        TypeKind::Newtype(ty) | TypeKind::Alias(ty) => vec![ty.clone()],
        TypeKind::Enum { .. } => Vec::new(),
    }
}
