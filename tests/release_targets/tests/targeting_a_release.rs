//! A crate that targets eBPF for Windows 1.2.1 (`default-features = false, features =
//! ["efw-1-2-1"]`): attach types, helpers, enumerators and structs of later releases
//! are refused at the user's token with the release that added them; what 1.2.1 has
//! compiles and runs. Rewrite the `.stderr` files with `TRYBUILD=overwrite`.

#[test]
fn items_of_later_releases_are_refused() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
