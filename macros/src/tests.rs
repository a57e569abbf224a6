//! Parse, validate and expand, each checked over a table of cases against a made-up
//! hook table: the rules are the same for every hook the spec may ever hold.

use proc_macro2::TokenStream;
use syn::{Item, ItemFn, LitStr};

use crate::parse::parse;
use crate::table::{AttachSpec, HookSpec};
use crate::validate::{ContextForm, validate};

/// A hook with three attach types and an enum verdict.
static DOOR: HookSpec = HookSpec {
    attribute: "door_hook",
    typedef: "door_hook_t",
    context: "door_t",
    verdict: "door_verdict_t",
    attach_types: &[
        AttachSpec {
            name: "open4",
            marker: "Open4",
            section: "door/open4",
        },
        AttachSpec {
            name: "open6",
            marker: "Open6",
            section: "door/open6",
        },
        AttachSpec {
            name: "close_quietly",
            marker: "CloseQuietly",
            section: "door/close",
        },
    ],
};

/// A hook with one attach type and an integer verdict.
static BELL: HookSpec = HookSpec {
    attribute: "bell_hook",
    typedef: "bell_hook_t",
    context: "bell_t",
    verdict: "i32",
    attach_types: &[AttachSpec {
        name: "ring",
        marker: "Ring",
        section: "bell",
    }],
};

fn tokens(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Each message of a (combined) error, with the source text it points at.
fn messages(error: syn::Error) -> Vec<(String, String)> {
    error
        .into_iter()
        .map(|e| {
            let text = e.span().source_text().unwrap_or_default();
            (e.to_string(), text)
        })
        .collect()
}

#[test]
fn parse_accepts_attach_names_and_functions_only() {
    // (hook, args, item, Ok(attach names) or Err((message part, offending text)))
    type Expected = Result<&'static [&'static str], (&'static str, &'static str)>;
    let cases: &[(&HookSpec, &str, &str, Expected)] = &[
        (&BELL, "", "fn p(c: &mut bell_t) -> i32 { 0 }", Ok(&[])),
        (&DOOR, "open4", "fn p() {}", Ok(&["open4"])),
        (&DOOR, "open4, open6,", "fn p() {}", Ok(&["open4", "open6"])),
        (&DOOR, "type", "fn p() {}", Ok(&["type"])),
        (
            &DOOR,
            "\"open4\"",
            "fn p() {}",
            Err(("takes attach type names separated by commas", "\"open4\"")),
        ),
        (
            &DOOR,
            "open4 open6",
            "fn p() {}",
            Err(("takes attach type names separated by commas", "open6")),
        ),
        (
            &BELL,
            "",
            "struct S;",
            Err(("`#[bell_hook]` goes on a function", "struct")),
        ),
    ];
    for (hook, args, item, expected) in cases {
        let result = parse(hook, tokens(args), tokens(item));
        match (result, expected) {
            (Ok(input), Ok(names)) => {
                let got: Vec<String> = input.attach.iter().map(|i| i.to_string()).collect();
                assert_eq!(got, *names, "{args} / {item}");
            }
            (Err(error), Err((message, offending))) => {
                let got = messages(error);
                assert_eq!(got.len(), 1, "{got:?}");
                assert!(got[0].0.contains(message), "{args}: {got:?}");
                assert_eq!(got[0].1, *offending, "{args}: {got:?}");
            }
            (Ok(_), Err(e)) => panic!("{args} / {item}: parsed, expected error {e:?}"),
            (Err(e), Ok(_)) => panic!("{args} / {item}: {e}"),
        }
    }
}

#[test]
fn validate_reports_every_problem_on_its_token() {
    // (hook, args, item, [(message part, offending source text)]); no rows: accepted.
    type Case = (&'static HookSpec, &'static str, &'static str, Errors);
    type Errors = &'static [(&'static str, &'static str)];
    let cases: &[Case] = &[
        // Accepted forms.
        (&BELL, "", "fn p(c: &mut bell_t) -> i32 { 0 }", &[]),
        (
            &BELL,
            "",
            "fn p(_: &x::bell_t) -> ::core::primitive::i32 { 0 }",
            &[],
        ),
        (&BELL, "", "fn p(c: Context<'_, Ring>) -> i32 { 0 }", &[]),
        (
            &DOOR,
            "open4",
            "fn p(c: hooks::Context<Open4>) -> door_verdict_t { v }",
            &[],
        ),
        (
            &DOOR,
            "open4, open6",
            "pub fn p(mut c: &mut door_t) -> door_verdict_t { v }",
            &[],
        ),
        // Attach types.
        (
            &DOOR,
            "open5",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            &[(
                "unknown attach type `open5` for `#[door_hook]`; expected one of: open4, open6, close_quietly; did you mean `open4`?",
                "open5",
            )],
        ),
        (
            &DOOR,
            "close_quiet",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            &[("did you mean `close_quietly`?", "close_quiet")],
        ),
        (
            &DOOR,
            "zzzzzzzzzzzz",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            &[(
                "expected one of: open4, open6, close_quietly",
                "zzzzzzzzzzzz",
            )],
        ),
        (
            &DOOR,
            "open4, open4",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            &[("attach type `open4` is given twice", "open4")],
        ),
        (
            &DOOR,
            "",
            "fn p(c: &mut door_t) -> door_verdict_t { v }",
            &[("`#[door_hook]` needs an attach type", "")],
        ),
        (
            &BELL,
            "ring",
            "fn p(c: &mut bell_t) -> i32 { 0 }",
            &[(
                "`#[bell_hook]` takes no attach type: its hook has only `ring`",
                "ring",
            )],
        ),
        // Parameters.
        (
            &BELL,
            "",
            "fn p() -> i32 { 0 }",
            &[("missing parameter", "()")],
        ),
        (
            &BELL,
            "",
            "fn p(c: &mut bell_t, n: u8) -> i32 { 0 }",
            &[("unexpected parameter", "n: u8")],
        ),
        (
            &BELL,
            "",
            "fn p(c: &mut door_t) -> i32 { 0 }",
            &[(
                "expected `bell_t`, the context of `#[bell_hook]` programs",
                "door_t",
            )],
        ),
        (
            &BELL,
            "",
            "fn p(c: bell_t) -> i32 { 0 }",
            &[(
                "expected `&mut bell_t`, `&bell_t` or `Context<'_, Ring>`",
                "bell_t",
            )],
        ),
        (
            &BELL,
            "",
            "fn p(c: *mut bell_t) -> i32 { 0 }",
            &[("expected `&mut bell_t`", "*mut bell_t")],
        ),
        (
            &BELL,
            "",
            "fn p(c: Context<'_, Knock>) -> i32 { 0 }",
            &[(
                "expected `Ring`, the marker type of attach type `ring`",
                "Knock",
            )],
        ),
        (
            &BELL,
            "",
            "fn p(c: Context) -> i32 { 0 }",
            &[("expected `Context<'_, Ring>`", "Context")],
        ),
        (
            &DOOR,
            "open4, open6",
            "fn p(c: Context<'_, Open4>) -> door_verdict_t { v }",
            &[(
                "a typed `Context` names one attach type, but this program is placed at open4, open6",
                "Context<'_, Open4>",
            )],
        ),
        (
            &BELL,
            "",
            "fn p(&self) -> i32 { 0 }",
            &[("not `self`", "&self")],
        ),
        // Return type.
        (
            &BELL,
            "",
            "fn p(c: &mut bell_t) { }",
            &[(
                "missing return type: a `#[bell_hook]` program returns `-> i32`",
                ")",
            )],
        ),
        (
            &DOOR,
            "close_quietly",
            "fn p(c: &mut door_t) -> u32 { 0 }",
            &[(
                "expected `door_verdict_t`, the verdict type of `#[door_hook]` programs",
                "u32",
            )],
        ),
        (
            &DOOR,
            "open6",
            "fn p(c: &mut door_t) -> Option<door_verdict_t> { None }",
            &[("expected `door_verdict_t`", "Option<door_verdict_t>")],
        ),
        // Qualifiers.
        (
            &BELL,
            "",
            "async fn p(c: &mut bell_t) -> i32 { 0 }",
            &[("cannot be `async`", "async")],
        ),
        (
            &BELL,
            "",
            "const fn p(c: &mut bell_t) -> i32 { 0 }",
            &[("cannot be `const`", "const")],
        ),
        (
            &BELL,
            "",
            "unsafe fn p(c: &mut bell_t) -> i32 { 0 }",
            &[("cannot be `unsafe fn`", "unsafe")],
        ),
        (
            &BELL,
            "",
            "extern \"C\" fn p(c: &mut bell_t) -> i32 { 0 }",
            &[("remove the ABI", "extern \"C\"")],
        ),
        (
            &BELL,
            "",
            "fn p<T>(c: &mut bell_t) -> i32 { 0 }",
            &[("cannot be generic", "<T>")],
        ),
        (
            &BELL,
            "",
            "fn p<'a>(c: &'a mut bell_t) -> i32 { 0 }",
            &[("cannot be generic", "<'a>")],
        ),
        (
            &BELL,
            "",
            "fn p(c: &mut bell_t) -> i32 where u8: Copy { 0 }",
            &[("cannot have a `where` clause", "where u8: Copy")],
        ),
        (
            &BELL,
            "",
            "fn p(c: &mut bell_t, _: ...) -> i32 { 0 }",
            &[("cannot be variadic", "_: ...")],
        ),
        // Everything at once, in source order.
        (
            &DOOR,
            "open5, open6",
            "async fn p<T>(c: &mut bell_t, t: T) -> i32 { 0 }",
            &[
                ("unknown attach type `open5`", "open5"),
                ("cannot be `async`", "async"),
                ("cannot be generic", "<T>"),
                ("expected `door_t`", "bell_t"),
                ("unexpected parameter", "t: T"),
                ("expected `door_verdict_t`", "i32"),
            ],
        ),
    ];
    for (hook, args, item, expected) in cases {
        let input = parse(hook, tokens(args), tokens(item))
            .unwrap_or_else(|e| panic!("{args} / {item}: {e}"));
        match validate(hook, input) {
            Ok(_) => assert!(
                expected.is_empty(),
                "{item}: accepted, expected {expected:?}"
            ),
            Err(error) => {
                let got = messages(error);
                assert_eq!(got.len(), expected.len(), "{args} / {item}: {got:#?}");
                for ((message, text), (part, offending)) in got.iter().zip(*expected) {
                    assert!(message.contains(part), "{item}: {message:?} lacks {part:?}");
                    assert_eq!(text, offending, "{item}: {message}");
                }
            }
        }
    }
}

#[test]
fn validate_resolves_the_context_form_and_attach_types() {
    let cases: &[(&HookSpec, &str, &str, ContextForm, &[&str])] = &[
        (
            &BELL,
            "",
            "fn p(c: &mut bell_t) -> i32 { 0 }",
            ContextForm::Mut,
            &["ring"],
        ),
        (
            &BELL,
            "",
            "fn p(c: &bell_t) -> i32 { 0 }",
            ContextForm::Shared,
            &["ring"],
        ),
        (
            &BELL,
            "",
            "fn p(c: Context<'_, Ring>) -> i32 { 0 }",
            ContextForm::Typed,
            &["ring"],
        ),
        (
            &DOOR,
            "close_quietly, open4",
            "fn p(c: &door_t) -> door_verdict_t { v }",
            ContextForm::Shared,
            &["close_quietly", "open4"],
        ),
    ];
    for (hook, args, item, form, attach) in cases {
        let program = validate(hook, parse(hook, tokens(args), tokens(item)).unwrap())
            .unwrap_or_else(|e| panic!("{item}: {e}"));
        assert_eq!(program.form, *form, "{item}");
        let names: Vec<&str> = program.attach.iter().map(|a| a.name).collect();
        assert_eq!(names, *attach, "{item}");
    }
}

/// An entry point of the expansion: name, section, and its signature as text.
#[derive(Debug, PartialEq)]
struct Entry {
    name: String,
    section: String,
    signature: String,
}

fn entries(output: &TokenStream) -> (Vec<Entry>, Vec<String>, Vec<String>) {
    let file: syn::File = syn::parse2(output.clone()).expect("the expansion parses");
    let (mut entries, mut plain, mut consts) = (Vec::new(), Vec::new(), Vec::new());
    for item in file.items {
        match item {
            Item::Fn(ItemFn { attrs, sig, .. }) => {
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
                match section {
                    Some(section) => entries.push(Entry {
                        name: sig.ident.to_string(),
                        section,
                        signature: quote::quote!(#sig).to_string(),
                    }),
                    None => plain.push(sig.ident.to_string()),
                }
            }
            Item::Const(c) => consts.push(quote::quote!(#c).to_string()),
            other => panic!("unexpected item {}", quote::quote!(#other)),
        }
    }
    (entries, plain, consts)
}

#[test]
fn expand_emits_one_entry_point_per_attach_type_in_its_section() {
    // (hook, args, item, [(entry, section)], functions besides the entries)
    type Case = (
        &'static HookSpec,
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
        let (got, plain, consts) = entries(&output);
        let got_names: Vec<(&str, &str)> = got
            .iter()
            .map(|e| (e.name.as_str(), e.section.as_str()))
            .collect();
        assert_eq!(got_names, *expected, "{item}");
        assert_eq!(plain, *plain_fns, "{item}");
        let ret = if hook.verdict_is_primitive() {
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
        // Each entry point is checked against the ABI's function type.
        assert_eq!(consts.len(), got.len(), "{consts:?}");
        for (c, entry) in consts.iter().zip(&got) {
            assert_eq!(
                *c,
                format!(
                    "const _ : :: ebpf_nethooks :: {} = {} ;",
                    hook.typedef, entry.name
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
    assert!(
        after.contains("# [cfg (feature = \"bells\")] const _"),
        "{after}"
    );
}

#[test]
fn on_error_the_item_comes_back_unchanged_after_the_errors() {
    let cases: &[(&HookSpec, &str, &str, usize)] = &[
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

#[test]
fn closest_attach_suggests_only_near_names() {
    let cases: &[(&str, Option<&str>)] = &[
        ("open5", Some("open4")),
        ("opne4", Some("open4")),
        ("close_quitely", Some("close_quietly")),
        ("close", None),
        ("Open6", Some("open6")),
        ("hinge", None),
        ("", None),
    ];
    for (name, expected) in cases {
        assert_eq!(DOOR.closest_attach(name), *expected, "{name}");
    }
}

/// The generated table is what the crate's attributes run on: sane and consistent.
#[test]
fn generated_table_is_well_formed() {
    assert!(!crate::HOOKS.is_empty());
    for (i, hook) in crate::HOOKS.iter().enumerate() {
        assert!(!hook.attach_types.is_empty(), "{}", hook.attribute);
        assert_eq!(hook.typedef.strip_suffix("_t"), Some(hook.attribute));
        assert!(
            crate::HOOKS[..i]
                .iter()
                .all(|h| h.attribute != hook.attribute),
            "{} twice",
            hook.attribute
        );
        for at in hook.attach_types {
            assert!(
                syn::parse_str::<syn::Ident>(at.marker).is_ok(),
                "{}",
                at.marker
            );
            assert!(!at.section.is_empty());
        }
    }
}

/// Every attribute of the generated table, driven only by its own row: it accepts
/// its signature in each form, places one entry point per attach type, and applies
/// each rule.
#[test]
fn every_generated_attribute_follows_its_table_row() {
    for hook in crate::HOOKS {
        let (ctx, verdict) = (hook.context, hook.verdict);
        let all_attach = if hook.attach_required() {
            hook.attach_list()
        } else {
            String::new()
        };
        let item = format!("fn program(c: &mut {ctx}) -> {verdict} {{ loop {{}} }}");
        let output = crate::hook::attribute(hook, tokens(&all_attach), tokens(&item));
        let (got, plain, _) = entries(&output);
        let expected: Vec<(String, &str)> = hook
            .attach_types
            .iter()
            .map(|at| match hook.attach_required() {
                true => (format!("program_{}", at.name), at.section),
                false => ("program".to_owned(), at.section),
            })
            .collect();
        let got: Vec<(String, &str)> = got
            .iter()
            .map(|e| (e.name.clone(), e.section.as_str()))
            .collect();
        assert_eq!(got, expected, "{}", hook.attribute);
        assert_eq!(plain.len(), usize::from(hook.attach_required()));

        for at in hook.attach_types {
            let args = if hook.attach_required() { at.name } else { "" };
            let item = format!(
                "fn program(c: Context<'_, {}>) -> {verdict} {{ loop {{}} }}",
                at.marker
            );
            let program = validate(hook, parse(hook, tokens(args), tokens(&item)).unwrap())
                .unwrap_or_else(|e| panic!("{} {}: {e}", hook.attribute, at.name));
            assert_eq!(program.form, ContextForm::Typed);
            assert_eq!(program.attach, [at]);
        }

        let args = if hook.attach_required() {
            hook.attach_types[0].name
        } else {
            ""
        };
        let rejected = [
            (
                format!("fn program() -> {verdict} {{ loop {{}} }}"),
                "missing parameter".to_owned(),
            ),
            (
                format!("fn program(c: &mut {ctx}) {{ }}"),
                format!("returns `-> {verdict}`"),
            ),
            (
                format!("fn program(c: &mut {ctx}, x: u8) -> {verdict} {{ loop {{}} }}"),
                "unexpected parameter".to_owned(),
            ),
            (
                format!("fn program(c: &mut NotTheContext) -> {verdict} {{ loop {{}} }}"),
                format!("expected `{ctx}`"),
            ),
            (
                format!("fn program(c: &mut {ctx}) -> NotTheVerdict {{ loop {{}} }}"),
                format!("expected `{verdict}`"),
            ),
        ];
        for (item, part) in rejected {
            let errors = validate(hook, parse(hook, tokens(args), tokens(&item)).unwrap())
                .err()
                .unwrap_or_else(|| panic!("{}: accepted {item}", hook.attribute));
            let got = messages(errors);
            assert_eq!(got.len(), 1, "{got:?}");
            assert!(got[0].0.contains(&part), "{}: {got:?}", hook.attribute);
        }

        let item = format!("fn program(c: &mut {ctx}) -> {verdict} {{ loop {{}} }}");
        let wrong_args = if hook.attach_required() {
            ""
        } else {
            "anything"
        };
        let part = if hook.attach_required() {
            "needs an attach type"
        } else {
            "takes no attach type"
        };
        let errors = validate(
            hook,
            parse(hook, tokens(wrong_args), tokens(&item)).unwrap(),
        )
        .err()
        .unwrap_or_else(|| panic!("{}: accepted `{wrong_args}`", hook.attribute));
        assert!(errors.to_string().contains(part), "{errors}");
    }
}
