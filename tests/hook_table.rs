//! The macro crate's hook table and the bindings' `hooks` module follow the spec:
//! one attribute per hook and none other, and an attach type added to the spec
//! reaches both with no hand edit.

mod support;

use codegen::emit::{hook_table, rust_hooks};
use support::{model, workspace_root};

/// `(attribute names of the table rows, names of the proc-macro entries)`.
fn table_attributes(table: &str) -> (Vec<String>, Vec<String>) {
    let rows = table
        .lines()
        .filter_map(|l| l.trim().strip_prefix("attribute: \""))
        .map(|rest| rest.trim_end_matches("\",").to_owned())
        .collect();
    let mut entries = Vec::new();
    let mut lines = table.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "#[proc_macro_attribute]" {
            let signature = lines.next().unwrap_or_default();
            let name = signature
                .trim()
                .strip_prefix("pub fn ")
                .and_then(|s| s.split('(').next())
                .unwrap_or_else(|| panic!("unexpected entry line {signature:?}"));
            entries.push(name.to_owned());
        }
    }
    (rows, entries)
}

#[test]
fn every_hook_has_one_attribute_and_every_attribute_a_hook() {
    let model = model();
    let expected: Vec<String> = model.hooks.iter().map(hook_table::attribute_name).collect();
    assert_eq!(expected.len(), model.hooks.len());
    let committed =
        std::fs::read_to_string(workspace_root().join("generated/macros/hook_table.rs")).unwrap();
    let (rows, entries) = table_attributes(&committed);
    assert_eq!(rows, expected, "table rows");
    assert_eq!(entries, expected, "#[proc_macro_attribute] entries");
}

#[test]
fn an_attach_type_added_to_the_spec_reaches_the_macro_table_and_the_bindings() {
    let spec = support::spec_with_added_attach_type();
    let model = codegen::load_str(&spec, "extended.toml").unwrap_or_else(|e| panic!("{e}"));

    let table = hook_table::emit(&model).unwrap();
    assert!(
        table.contains(
            "AttachSpec {\n                name: \"connect_redirect4\",\n                marker: \"ConnectRedirect4\",\n                section: \"cgroup/connect_redirect4\",\n            },"
        ),
        "{table}"
    );
    let hooks = rust_hooks::emit(&model).unwrap();
    assert!(hooks.contains("pub enum ConnectRedirect4 {}"), "{hooks}");
    // `set_redirect_context` is excluded only at recv_accept: available here.
    // `get_network_context` is allowed only at a list: not here.
    assert!(hooks.contains("impl HasBpfSockAddrSetRedirectContext for ConnectRedirect4 {}"));
    assert!(!hooks.contains("impl HasBpfSockAddrGetNetworkContext for ConnectRedirect4 {}"));
    assert_eq!(
        hooks
            .matches("impl HasBpfSockAddrGetNetworkContext for")
            .count(),
        6,
        "the other attach types keep their availability"
    );
}

#[test]
fn helper_availability_traits_follow_the_spec() {
    let model = model();
    let hooks = rust_hooks::emit(&model).unwrap();
    for helper in &model.helpers {
        let hook = model.find_hook(&helper.hook).unwrap();
        let name = hook_table::upper_camel(&helper.name);
        for at in &hook.attach_types {
            let line = format!("impl Has{name} for {} {{}}", hook_table::marker_name(at));
            assert_eq!(
                hooks.contains(&line),
                helper.available_at.contains(&at.name),
                "{line}"
            );
        }
    }
}
