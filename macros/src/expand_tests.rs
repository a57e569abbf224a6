//! The expansion: entry points, their sections and signatures, and the program.

use proc_macro2::TokenStream;
use syn::{Item, ItemFn, LitStr};

use crate::table::HookInfo;
use crate::tests::{BELL, DOOR, tokens};

/// An entry point of the expansion: name, section, and its signature as text.
#[derive(Debug, PartialEq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) section: String,
    pub(crate) signature: String,
}

/// The entry points of an expansion, its plain functions, and the ABI checks that
/// open the entry points' bodies.
pub(crate) fn entries(output: &TokenStream) -> (Vec<Entry>, Vec<String>, Vec<String>) {
    let file: syn::File = syn::parse2(output.clone()).expect("the expansion parses");
    let (mut entries, mut plain, mut checks) = (Vec::new(), Vec::new(), Vec::new());
    for item in file.items {
        match item {
            Item::Fn(ItemFn {
                attrs, sig, block, ..
            }) => {
                // Exported under its name on BPF only; in its section everywhere.
                let exported_on_bpf = attrs.iter().any(|a| {
                    a.path().is_ident("cfg_attr")
                        && a.meta.require_list().is_ok_and(|l| {
                            let text = l.tokens.to_string().replace(' ', "");
                            text == "target_arch=\"bpf\",unsafe(no_mangle)"
                        })
                });
                let section = attrs.iter().find_map(|a| {
                    let mut section = None;
                    if a.path().is_ident("unsafe") {
                        let _ = a.parse_nested_meta(|meta| {
                            if meta.path.is_ident("link_section") {
                                section = Some(meta.value()?.parse::<LitStr>()?.value());
                            }
                            Ok(())
                        });
                    }
                    section
                });
                let section = section.filter(|_| exported_on_bpf);
                match section {
                    Some(section) => {
                        if let Some(first) = block.stmts.first() {
                            checks.push(quote::quote!(#first).to_string());
                        }
                        entries.push(Entry {
                            name: sig.ident.to_string(),
                            section,
                            signature: quote::quote!(#sig).to_string(),
                        });
                    }
                    None => plain.push(sig.ident.to_string()),
                }
            }
            other => panic!("unexpected item {}", quote::quote!(#other)),
        }
    }
    (entries, plain, checks)
}

#[test]
fn expand_emits_one_entry_point_per_attach_type_in_its_section() {
    // (hook, args, item, [(entry, section)], functions besides the entries)
    type Case = (
        &'static HookInfo,
        &'static str,
        &'static str,
        Entries,
        Functions,
    );
    type Entries = &'static [(&'static str, &'static str)];
    type Functions = &'static [&'static str];
    let cases: &[Case] = &[
        (
            &BELL,
            "",
            "fn ding(c: &mut bell_t) -> i32 { 0 }",
            &[("ding", "bell")],
            &[],
        ),
        (
            &DOOR,
            "open6",
            "fn knock(c: &door_t) -> door_verdict_t { v }",
            &[("knock", "door/open6")],
            &[],
        ),
        (
            &DOOR,
            "close_quietly, open4",
            "fn knock(c: &mut door_t) -> door_verdict_t { v }",
            &[
                ("knock_close_quietly", "door/close"),
                ("knock_open4", "door/open4"),
            ],
            &["knock"],
        ),
    ];
    for (hook, args, item, expected, plain_fns) in cases {
        let output = crate::hook::attribute(hook, tokens(args), tokens(item));
        let (got, plain, checks) = entries(&output);
        let got_names: Vec<(&str, &str)> = got
            .iter()
            .map(|e| (e.name.as_str(), e.section.as_str()))
            .collect();
        assert_eq!(got_names, *expected, "{item}");
        assert_eq!(plain, *plain_fns, "{item}");
        let ret = if hook.verdict_is_primitive {
            hook.verdict.to_owned()
        } else {
            format!(":: ebpf_nethooks :: {}", hook.verdict)
        };
        for entry in &got {
            assert_eq!(
                entry.signature,
                format!(
                    "unsafe extern \"C\" fn {} (ctx : * mut :: ebpf_nethooks :: {}) -> {ret}",
                    entry.name, hook.context
                ),
            );
        }
        // Each entry point checks first that it has the ABI's function type.
        assert_eq!(checks.len(), got.len(), "{checks:?}");
        for (c, entry) in checks.iter().zip(&got) {
            assert_eq!(
                *c,
                format!(
                    "let _ : :: ebpf_nethooks :: {} = {} ;",
                    hook.name, entry.name
                )
            );
        }
    }
}

#[test]
fn expand_hands_the_program_the_context_form_it_asked_for() {
    let cases: &[(&str, &str)] = &[
        (
            "fn p(c: &mut bell_t) -> i32 { 0 }",
            "p (unsafe { & mut * ctx })",
        ),
        ("fn p(c: &bell_t) -> i32 { 0 }", "p (unsafe { & * ctx })"),
        (
            "fn p(c: Context<'_, Ring>) -> i32 { 0 }",
            "p (unsafe { :: ebpf_nethooks :: hooks :: Context :: < :: ebpf_nethooks :: hooks :: Ring > :: from_raw (ctx) })",
        ),
    ];
    for (item, call) in cases {
        let output = crate::hook::attribute(&BELL, TokenStream::new(), tokens(item)).to_string();
        assert!(output.contains(call), "{item}: {output}");
        // The program itself lives on inside the entry point, private.
        let program = syn::parse_str::<ItemFn>(item).unwrap();
        let program = quote::quote!(#program).to_string();
        assert!(
            output.contains(&format!("{{ {program} ")),
            "{program}\n{output}"
        );
    }
}

#[test]
fn expand_keeps_docs_cfg_and_visibility() {
    let item = "/// Rings.\n#[cfg(feature = \"bells\")]\n#[inline]\npub(crate) fn ding(c: &mut bell_t) -> i32 { 0 }";
    let output = crate::hook::attribute(&BELL, TokenStream::new(), tokens(item)).to_string();
    let entry_start = output
        .find("pub (crate) unsafe extern \"C\" fn ding")
        .expect(&output);
    let before = &output[..entry_start];
    assert!(before.contains("# [doc = \" Rings.\"]"), "{before}");
    assert!(before.contains("# [doc = \" # Safety\"]"), "{before}");
    assert!(before.contains("# [cfg (feature = \"bells\")]"), "{before}");
    assert!(
        !before.contains("inline"),
        "other attributes stay on the program: {before}"
    );
    let after = &output[entry_start..];
    assert!(after.contains("# [inline] fn ding"), "{after}");
}

#[test]
fn on_error_the_item_comes_back_unchanged_after_the_errors() {
    let cases: &[(&HookInfo, &str, &str, usize)] = &[
        (
            &DOOR,
            "open5",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            1,
        ),
        (&BELL, "", "async fn p(c: &mut door_t, x: u8) { }", 4),
        (&BELL, "", "struct S;", 1),
    ];
    for (hook, args, item, errors) in cases {
        let output = crate::hook::attribute(hook, tokens(args), tokens(item)).to_string();
        assert_eq!(output.matches("compile_error").count(), *errors, "{output}");
        assert!(output.ends_with(&tokens(item).to_string()), "{output}");
        assert!(!output.contains("no_mangle"), "{output}");
    }
    // A variadic fn does not compile even unchanged, so only its `...` goes.
    let output = crate::hook::attribute(
        &BELL,
        TokenStream::new(),
        tokens("fn p(c: &mut bell_t, _: ...) -> i32 { 0 }"),
    )
    .to_string();
    assert!(
        output.ends_with(&tokens("fn p(c: &mut bell_t,) -> i32 { 0 }").to_string()),
        "{output}"
    );
}
