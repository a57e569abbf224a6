//! Validation: every mistake reported on its token, and the context form resolved.

use crate::parse::parse;
use crate::table::HookInfo;
use crate::tests::{BELL, DOOR, messages, tokens};
use crate::validate::{ContextForm, validate};

#[test]
fn validate_reports_every_problem_on_its_token() {
    // (hook, args, item, [(message part, offending source text)]); no rows: accepted.
    type Case = (&'static HookInfo, &'static str, &'static str, Errors);
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
    let cases: &[(&HookInfo, &str, &str, ContextForm, &[&str])] = &[
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
