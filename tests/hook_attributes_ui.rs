//! The hook attributes, compiled as a user would: every hook and attach type in
//! `tests/ui/pass` (each also runs on the host), and every rejection in
//! `tests/ui/fail` with the exact message and span checked in beside it.
//! Rewrite the `.stderr` files with `TRYBUILD=overwrite`.

#[test]
fn hook_attributes() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
