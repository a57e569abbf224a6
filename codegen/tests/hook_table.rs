//! The ABI tables crate's hooks, the macro crate's entry points and the bindings'
//! `hooks` module follow the spec: one attribute per hook and none other, with the
//! names the README documents, and an attach type added to the spec reaches them all
//! with no hand edit.
//!
//! Expectations are written out here for the real spec (the Rust names are what
//! users type, so they are facts to check, not something to recompute with the
//! emitter's own functions) and checked against `spec/nethooks.toml` read with
//! `toml`, so the table below cannot silently fall behind the spec.

#[path = "../../tests/support/spec_toml.rs"]
mod spec_toml;
mod support;

use codegen::emit::rust::{abi_crate, hook_table, hooks as rust_hooks};
use support::{model, workspace_root};

/// What the attributes must know of one hook.
#[derive(Debug, PartialEq, Eq)]
struct Row<S> {
    attribute: S,
    typedef: S,
    context: S,
    verdict: S,
    /// `(name, marker, section)`.
    attach: Vec<(S, S, S)>,
}

/// The hooks of `spec/nethooks.toml`, as the README's attribute table lists them.
fn expected_rows() -> Vec<Row<&'static str>> {
    vec![
        Row {
            attribute: "bind_hook",
            typedef: "bind_hook_t",
            context: "bind_md_t",
            verdict: "bind_action_t",
            attach: vec![("bind", "Bind", "bind")],
        },
        Row {
            attribute: "sock_addr_hook",
            typedef: "sock_addr_hook_t",
            context: "bpf_sock_addr_t",
            verdict: "ebpf_sock_addr_verdict_t",
            attach: vec![
                ("connect4", "Connect4", "cgroup/connect4"),
                ("connect6", "Connect6", "cgroup/connect6"),
                ("recv_accept4", "RecvAccept4", "cgroup/recv_accept4"),
                ("recv_accept6", "RecvAccept6", "cgroup/recv_accept6"),
                (
                    "connect_authorization4",
                    "ConnectAuthorization4",
                    "cgroup/connect_authorization4",
                ),
                (
                    "connect_authorization6",
                    "ConnectAuthorization6",
                    "cgroup/connect_authorization6",
                ),
                ("bind4", "Bind4", "cgroup/bind4"),
                ("bind6", "Bind6", "cgroup/bind6"),
                ("listen4", "Listen4", "cgroup/listen4"),
                ("listen6", "Listen6", "cgroup/listen6"),
            ],
        },
        Row {
            attribute: "sock_ops_hook",
            typedef: "sock_ops_hook_t",
            context: "bpf_sock_ops_t",
            verdict: "i32",
            attach: vec![("sockops", "Sockops", "sockops")],
        },
    ]
}

/// Each helper of the spec: its availability trait and the markers implementing it.
const EXPECTED_AVAILABILITY: &[(&str, &str, &[&str])] = &[
    (
        "bpf_sock_addr_set_redirect_context",
        "HasBpfSockAddrSetRedirectContext",
        &[
            "Connect4",
            "Connect6",
            "ConnectAuthorization4",
            "ConnectAuthorization6",
            "Bind4",
            "Bind6",
            "Listen4",
            "Listen6",
        ],
    ),
    (
        "bpf_sock_addr_get_network_context",
        "HasBpfSockAddrGetNetworkContext",
        &[
            "RecvAccept4",
            "RecvAccept6",
            "ConnectAuthorization4",
            "ConnectAuthorization6",
            "Bind4",
            "Bind6",
            "Listen4",
            "Listen6",
        ],
    ),
    (
        "bpf_sock_ops_get_flow_id",
        "HasBpfSockOpsGetFlowId",
        &["Sockops"],
    ),
];

/// `key: "value",` on one line of the table.
fn field(line: &str) -> Option<(&str, String)> {
    let (key, rest) = line.trim().split_once(": \"")?;
    let value = rest.strip_suffix("\",")?;
    Some((key, value.to_owned()))
}

/// The rows of every release's `HOOKS` (`releases::HOOKS`) in the generated ABI tables
/// crate, read back from its text. A row's verdict values (`NamedValue`s) and the
/// C-side fields are not part of a [`Row`].
fn table_rows(table: &str) -> Vec<Row<String>> {
    let start = table
        .find("static HOOKS: &[HookInfo] = &[")
        .unwrap_or_else(|| panic!("no HOOKS in the table:\n{table}"));
    let end = start + table[start..].find("];").expect("HOOKS ends");
    let mut rows: Vec<Row<String>> = Vec::new();
    // Which literal the fields being read belong to.
    enum In {
        Hook,
        Verdicts,
        Attach,
    }
    let mut inside = In::Hook;
    for line in table[start..end].lines().skip(1) {
        if line.contains("HookInfo {") {
            inside = In::Hook;
            rows.push(Row {
                attribute: String::new(),
                typedef: String::new(),
                context: String::new(),
                verdict: String::new(),
                attach: Vec::new(),
            });
        }
        let row = rows.last_mut().expect("a field before the first HookInfo");
        if line.contains("verdicts: &[") {
            inside = In::Verdicts;
        }
        if line.contains("AttachInfo {") {
            inside = In::Attach;
            row.attach.push(Default::default());
        }
        let Some((key, value)) = field(line) else {
            continue;
        };
        let attach = row.attach.last_mut();
        match (&inside, key, attach) {
            (In::Hook, "name", _) => row.typedef = value,
            (In::Hook, "attribute", _) => row.attribute = value,
            (In::Hook, "context", _) => row.context = value,
            (In::Hook, "verdict", _) => row.verdict = value,
            (In::Hook, "program_type" | "returns", _) => {}
            (In::Verdicts, "name", _) => {}
            (In::Attach, "name", Some(a)) => a.0 = value,
            (In::Attach, "marker", Some(a)) => a.1 = value,
            (In::Attach, "section", Some(a)) => a.2 = value,
            (In::Attach, "attach_type", Some(_)) => {}
            _ => panic!("unexpected table line {line:?}"),
        }
    }
    rows
}

/// `(function name, index into HOOKS)` of each `#[proc_macro_attribute]` entry.
fn table_entries(table: &str) -> Vec<(String, usize)> {
    let mut entries = Vec::new();
    let mut lines = table.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "#[proc_macro_attribute]" {
            continue;
        }
        let signature = lines.next().unwrap_or_default();
        let name = signature
            .trim()
            .strip_prefix("pub fn ")
            .and_then(|s| s.split('(').next())
            .unwrap_or_else(|| panic!("unexpected entry line {signature:?}"));
        let index = lines
            .by_ref()
            .find_map(|l| {
                let rest = l.trim().strip_prefix("crate::hook::attribute(&HOOKS[")?;
                rest.split(']').next()?.parse::<usize>().ok()
            })
            .unwrap_or_else(|| panic!("entry {name} calls no `crate::hook::attribute`"));
        entries.push((name.to_owned(), index));
    }
    entries
}

fn owned(rows: Vec<Row<&str>>) -> Vec<Row<String>> {
    let s = |s: &str| s.to_owned();
    rows.into_iter()
        .map(|r| Row {
            attribute: s(r.attribute),
            typedef: s(r.typedef),
            context: s(r.context),
            verdict: s(r.verdict),
            attach: r
                .attach
                .into_iter()
                .map(|(n, m, sec)| (s(n), s(m), s(sec)))
                .collect(),
        })
        .collect()
}

/// The expectations above describe the spec as written: same hooks in the same order,
/// same contexts, attach types and sections. Fails, naming the hook, when the spec
/// changes and this file was not updated.
#[test]
fn the_expectations_describe_the_spec() {
    let spec = spec_toml::hooks();
    let expected = expected_rows();
    let typedefs = |names: Vec<&str>| names.join(", ");
    assert_eq!(
        typedefs(spec.iter().map(|h| h.name.as_str()).collect()),
        typedefs(expected.iter().map(|r| r.typedef).collect()),
        "hooks of the spec (left) and of this test (right)"
    );
    for (hook, row) in spec.iter().zip(&expected) {
        assert_eq!(hook.context, row.context, "{}: context", hook.name);
        let from_spec: Vec<(&str, &str)> = hook
            .attach
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .collect();
        let here: Vec<(&str, &str)> = row.attach.iter().map(|(n, _, s)| (*n, *s)).collect();
        assert_eq!(from_spec, here, "{}: attach types and sections", hook.name);
    }
    let helpers = spec_toml::helpers();
    let names: Vec<&str> = helpers.iter().map(|h| h.name.as_str()).collect();
    let here: Vec<&str> = EXPECTED_AVAILABILITY.iter().map(|(n, ..)| *n).collect();
    assert_eq!(
        names, here,
        "helpers of the spec (left) and of this test (right)"
    );
    for (helper, (_, _, markers)) in helpers.iter().zip(EXPECTED_AVAILABILITY) {
        let row = expected
            .iter()
            .find(|r| r.typedef == helper.hook)
            .unwrap_or_else(|| panic!("{}: no hook {}", helper.name, helper.hook));
        let available: Vec<&str> = row
            .attach
            .iter()
            .filter(|(name, ..)| {
                let listed =
                    |list: &Option<Vec<String>>| list.as_ref().map(|l| l.iter().any(|n| n == name));
                listed(&helper.only_at).unwrap_or(true) && !listed(&helper.not_at).unwrap_or(false)
            })
            .map(|(_, marker, _)| *marker)
            .collect();
        assert_eq!(&available, markers, "{}: available at", helper.name);
    }
}

/// The committed table and a fresh one from the emitter both hold exactly the
/// expected rows, and one `#[proc_macro_attribute]` per row, named after it and
/// handing the attribute its own row.
#[test]
fn every_hook_has_one_attribute_and_every_attribute_a_hook() {
    let read = |path: &str| std::fs::read_to_string(workspace_root().join(path)).unwrap();
    let committed = read("generated/macros/hook_table.rs");
    let emitted = hook_table::emit(&model()).unwrap();
    let committed_abi = read("generated/abi/src/lib.rs");
    let emitted_abi = abi_crate::emit(&model()).unwrap();
    let expected = owned(expected_rows());
    let expected_entries: Vec<(String, usize)> = expected
        .iter()
        .enumerate()
        .map(|(i, row)| (row.attribute.clone(), i))
        .collect();
    for (which, table, abi) in [
        ("committed", &committed, &committed_abi),
        ("emitted", &emitted, &emitted_abi),
    ] {
        assert_eq!(table_rows(abi), expected, "{which} table rows");
        assert_eq!(
            table_entries(table),
            expected_entries,
            "{which} #[proc_macro_attribute] entries (name, row)"
        );
    }
}

#[test]
fn an_attach_type_added_to_the_spec_reaches_the_macro_table_and_the_bindings() {
    let spec = support::spec_with_added_attach_type();
    let model = codegen::load_str(&spec, "extended.toml").unwrap_or_else(|e| panic!("{e}"));

    let table = abi_crate::emit(&model).unwrap();
    let rows = table_rows(&table);
    let sock_addr = rows
        .iter()
        .find(|r| r.attribute == "sock_addr_hook")
        .expect("a sock_addr_hook row");
    assert_eq!(
        sock_addr.attach.last(),
        Some(&(
            "connect_redirect4".to_owned(),
            "ConnectRedirect4".to_owned(),
            "cgroup/connect_redirect4".to_owned()
        )),
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
        8,
        "the other attach types keep their availability"
    );
}

/// The bindings implement each helper's availability trait for exactly the markers
/// of the attach types where the spec makes it available, and for no other.
#[test]
fn helper_availability_traits_follow_the_spec() {
    let hooks = rust_hooks::emit(&model()).unwrap();
    // Impls of a helper a later release added sit inside its `since_release!`.
    let found: Vec<&str> = (hooks.lines())
        .map(str::trim_start)
        .filter(|l| l.starts_with("impl Has") && l.ends_with(" {}"))
        .collect();
    let expected: Vec<String> = EXPECTED_AVAILABILITY
        .iter()
        .flat_map(|(_, bound, markers)| {
            markers
                .iter()
                .map(move |marker| format!("impl {bound} for {marker} {{}}"))
        })
        .collect();
    assert_eq!(found, expected);
}
