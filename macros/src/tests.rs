//! Parse, validate and expand, each checked over a table of cases against a made-up
//! hook table: the rules are the same for every hook the spec may ever hold. This
//! file holds the made-up hooks and the parse cases; `validate_tests.rs`,
//! `expand_tests.rs` and `table_tests.rs` the rest.

use proc_macro2::TokenStream;

use crate::parse::parse;
use crate::table::{AttachInfo, HookInfo};
use ebpf_nethooks_abi::NamedValue;

/// A hook with three attach types and an enum verdict.
pub(crate) static DOOR: HookInfo = HookInfo {
    name: "door_hook_t",
    attribute: "door_hook",
    program_type: "DOOR_PROGRAM",
    context: "door_t",
    returns: "door_verdict_t",
    verdict: "door_verdict_t",
    verdict_is_primitive: false,
    verdicts: &[
        NamedValue {
            name: "DOOR_OPEN",
            value: 0,
        },
        NamedValue {
            name: "DOOR_SHUT",
            value: 1,
        },
    ],
    attach_types: &[
        AttachInfo {
            name: "open4",
            attach_type: "DOOR_ATTACH_OPEN4",
            section: "door/open4",
            marker: "Open4",
        },
        AttachInfo {
            name: "open6",
            attach_type: "DOOR_ATTACH_OPEN6",
            section: "door/open6",
            marker: "Open6",
        },
        AttachInfo {
            name: "close_quietly",
            attach_type: "DOOR_ATTACH_CLOSE",
            section: "door/close",
            marker: "CloseQuietly",
        },
    ],
};

/// A hook with one attach type and an integer verdict.
pub(crate) static BELL: HookInfo = HookInfo {
    name: "bell_hook_t",
    attribute: "bell_hook",
    program_type: "BELL_PROGRAM",
    context: "bell_t",
    returns: "int",
    verdict: "i32",
    verdict_is_primitive: true,
    verdicts: &[],
    attach_types: &[AttachInfo {
        name: "ring",
        attach_type: "BELL_ATTACH_RING",
        section: "bell",
        marker: "Ring",
    }],
};

pub(crate) fn tokens(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Each message of a (combined) error, with the source text it points at.
pub(crate) fn messages(error: syn::Error) -> Vec<(String, String)> {
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
    let cases: &[(&HookInfo, &str, &str, Expected)] = &[
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
