//! Mistakes the type system must catch: each file in `compile-fail/` must fail to compile with the error in
//! the `.stderr` next to it. Regenerate those with `TRYBUILD=overwrite` and review the diff.

#[test]
fn ids_of_one_kind_cannot_stand_in_for_another() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile-fail/*.rs");
}
