//! The generated Rust is laid out as rustfmt lays it out, so it reads like the rest
//! of the workspace and `cargo fmt --check` (run by CI) accepts it as it is. Checked
//! for the real spec and for a synthetic spec of every kind of item; the hostile-docs
//! spec is checked in `hostile_docs.rs`.

mod support;

#[test]
fn the_real_specs_rust_is_rustfmt_clean() {
    support::assert_rustfmt_clean(&support::model());
}

#[test]
fn a_synthetic_specs_rust_is_rustfmt_clean() {
    let model = codegen::load_str(&codegen::synthetic::spec(100), "synthetic.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    support::assert_rustfmt_clean(&model);
}
