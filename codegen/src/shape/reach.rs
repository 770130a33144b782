//! Which modules (tags) reach each type and id: a type only one module's operations reach lives in that
//! module's file of `types/`, the others in `types/common.rs`; with cargo features on, each is compiled
//! under the features of the modules that reach it, so a user who enables one tag compiles only what that
//! tag uses.

use std::collections::{BTreeSet, HashMap};

use crate::plan::{BodyKind, Cfg, IdDef, OpDef, Success, Ty, TypeDef, TypeKind};

/// The most modules a type is compiled for by name (`cfg(any(feature = ..))`); a type more reach is compiled
/// always. The upstream spec has 58 tags, so this changes nothing there.
const MAX_CFG_MODULES: usize = 64;

/// Sets the home of every type, and (when `features`) the `cfg` of every type and id.
pub(crate) fn assign(
    ops: &[OpDef],
    types: &mut [TypeDef],
    ids: &mut [IdDef],
    error_body: &Ty,
    modules: usize,
    features: bool,
) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut type_modules: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    let mut id_modules: HashMap<String, BTreeSet<usize>> = HashMap::new();
    let all: BTreeSet<usize> = (0..modules).collect();
    // The error body is named by the crate's `Error`, which is always there: a marker module past the
    // real ones keeps what it reaches in `common.rs` and always compiled.
    let always = modules;
    // A type many modules reach is compiled always rather than under a feature list naming them all: the
    // walk then visits each type a bounded number of times, not once per module (thousands of tags that
    // all reach one chain of thousands of types took seconds), and no `cfg` lists thousands of features.
    // Without features only "one module or several" matters (the home file), so two is already wide.
    let widest = if features { MAX_CFG_MODULES } else { 1 };
    let mut roots: Vec<(Ty, BTreeSet<usize>)> = vec![(error_body.clone(), BTreeSet::from([always]))];
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
                        let reached = &mut type_modules[i];
                        if reached.contains(&always) || marks.is_subset(reached) {
                            continue;
                        }
                        reached.extend(marks.iter().copied());
                        if reached.len() > widest {
                            // Compiled always, like what the error body reaches: no walk comes here again.
                            *reached = BTreeSet::from([always]);
                        }
                        stack.extend(referenced(&types[i].kind));
                    }
                }
            }
        }
    }
    let cfg = |set: &BTreeSet<usize>| -> Cfg {
        if !features || (*set == all && modules > 1) { None } else { Some(set.clone()) }
    };
    for (i, def) in types.iter_mut().enumerate() {
        let reached = &type_modules[i];
        if reached.contains(&always) {
            (def.home, def.cfg) = (None, None);
            continue;
        }
        def.home = if reached.len() == 1 { reached.iter().next().copied() } else { None };
        // A type in a module's own file is compiled with that module; the `mod` line carries the `cfg`.
        def.cfg = if def.home.is_some() { None } else { cfg(reached) };
    }
    for id in ids {
        let reached = id_modules.get(&id.name).cloned().unwrap_or_default();
        id.cfg = if reached.contains(&always) { None } else { cfg(&reached) };
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

pub(crate) fn op_types(op: &OpDef) -> Vec<Ty> {
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

pub(crate) fn referenced(kind: &TypeKind) -> Vec<Ty> {
    kind.tys().into_iter().cloned().collect()
}
