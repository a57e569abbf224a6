//! Reading a spec file: its bytes as UTF-8, its text as TOML, and the TOML as a
//! [`RawSpec`], with a diagnostic for every syntax error, misused table and unknown
//! key (each unknown key read as the key it most likely misspells, so the rest of
//! the spec is checked too).

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;
use crate::suggest::{did_you_mean, suggest};

use super::raw::RawSpec;

/// How many unknown keys one run reports before giving up on the rest.
const MAX_UNKNOWN_KEYS: usize = 100;

/// Decodes a spec file's bytes; a file that is not UTF-8 is a spec error at the
/// first bad byte.
pub fn decode(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
        let shown: Vec<String> = bytes[at..(at + len).min(bytes.len())]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        Box::new(
            Diagnostic::new(
                at..at + 1,
                "the spec is not valid UTF-8",
                format!("invalid byte {} here", shown.join(" ")),
            )
            .with_help("save the spec as UTF-8 text"),
        )
    })
}

/// Parses spec text into a [`RawSpec`]. Reports every TOML syntax error, and every
/// unknown key (each with the keys expected there). To check the rest of the spec
/// too, an unknown key is read as the key it most likely misspells (if that key is
/// not given as well), or else dropped: the [`RawSpec`] is returned whenever it
/// could be read, with or without diagnostics.
pub fn parse(text: &str) -> (Option<RawSpec>, Vec<Diagnostic>) {
    let (mut table, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        for diagnostic in syntax_errors.iter().map(toml_diagnostic) {
            // The parser repeats some errors (its recursion limit) once per table.
            if !diagnostics.contains(&diagnostic) {
                diagnostics.push(diagnostic);
            }
        }
        return (None, diagnostics);
    }
    let mistakes = table_kind_mistakes(table.get_ref());
    if !mistakes.is_empty() {
        return (None, mistakes);
    }
    let mut diagnostics = Vec::new();
    loop {
        let deserializer = toml::de::Deserializer::from(table.clone());
        match RawSpec::deserialize(deserializer) {
            Ok(raw) => return (Some(raw), diagnostics),
            Err(error) => {
                // A key missing after a dropped unknown key is most likely that key
                // misspelt: the unknown-key error already says so.
                if !diagnostics.is_empty() && error.message().starts_with("missing field") {
                    return (None, diagnostics);
                }
                let fixed = diagnostics.len() < MAX_UNKNOWN_KEYS
                    && match (UnknownKey::parse(error.message()), error.span()) {
                        (Some(unknown), Some(span)) => {
                            fix_key(table.get_mut(), &span, unknown.near.as_deref())
                        }
                        _ => false,
                    };
                diagnostics.push(toml_diagnostic(&error));
                if !fixed {
                    return (None, diagnostics);
                }
            }
        }
    }
}

/// The top-level tables written once (`[header]`), and those that repeat (`[[struct]]`).
const SINGLE_TABLES: [&str; 1] = ["header"];
const REPEATED_TABLES: [&str; 6] = [
    "constant",
    "enum",
    "struct",
    "hook",
    "helper",
    "macro_block",
];

/// `[[header]]` written for `[header]`, or `[struct]` for `[[struct]]`: serde would
/// only say "wrong type"; this says what was meant.
fn table_kind_mistakes(table: &DeTable<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let (is_array, is_table) = (
            matches!(value.get_ref(), DeValue::Array(_)),
            matches!(value.get_ref(), DeValue::Table(_)),
        );
        if SINGLE_TABLES.contains(&name) && is_array {
            diagnostics.push(
                Diagnostic::new(
                    key.span(),
                    format!("`[[{name}]]` is an array of tables; a spec has one `[{name}]` table"),
                    format!("write `[{name}]`"),
                )
                .with_help(format!(
                    "`[[...]]` adds one more of an item that repeats, such as `[[struct]]`; `[{name}]` is written once"
                )),
            );
        } else if REPEATED_TABLES.contains(&name) && is_table {
            diagnostics.push(
                Diagnostic::new(
                    key.span(),
                    format!(
                        "`[{name}]` is a single table; each {name} of a spec is a `[[{name}]]`"
                    ),
                    format!("write `[[{name}]]`"),
                )
                .with_help(format!("each `[[{name}]]` adds one {name} to the spec")),
            );
        }
    }
    diagnostics
}

/// serde's "unknown field `nmae`, expected one of `name`, `doc`", taken apart.
struct UnknownKey {
    key: String,
    expected: Vec<String>,
    /// The expected key it most likely misspells ([`suggest`]).
    near: Option<String>,
}

impl UnknownKey {
    fn parse(message: &str) -> Option<UnknownKey> {
        let rest = message.trim().strip_prefix("unknown field `")?;
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<String> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        let near = suggest(key, expected.iter().map(String::as_str)).map(str::to_owned);
        Some(UnknownKey {
            key: key.to_owned(),
            expected,
            near,
        })
    }
}

/// A TOML or serde error as a diagnostic; an unknown key gets a "did you mean".
fn toml_diagnostic(error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let message = error.message().trim();
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        let diagnostic = Diagnostic::new(
            span,
            format!("missing key `{key}`"),
            format!("this table needs `{key}`"),
        );
        return if key == "doc" {
            diagnostic.with_help("every item of the spec is documented: add `doc = \"...\"`")
        } else {
            diagnostic
        };
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        // serde names Rust types; the spec's readers know TOML's.
        let rest = rest
            .replace("expected i64", "expected an integer")
            .replace("expected a sequence", "expected an array")
            .replace("expected struct ", "expected a table for ");
        return Diagnostic::new(span, format!("wrong type: {rest}"), "this value");
    }
    if message == "recursion limit" {
        return Diagnostic::new(span, "tables are nested too deeply", "TOML syntax error")
            .with_help("anonymous structs and unions nest a few levels deep, not hundreds");
    }
    let Some(unknown) = UnknownKey::parse(message) else {
        let (summary, label) = match message.split_once('\n') {
            Some((first, more)) => (first.trim(), more.trim()),
            None => (message, "TOML syntax error"),
        };
        let label = if label.is_empty() {
            "TOML syntax error"
        } else {
            label
        };
        return Diagnostic::new(span, summary, label);
    };
    let diagnostic = Diagnostic::new(
        span,
        format!("unknown key `{}`", unknown.key),
        "this key has no meaning here",
    );
    match (unknown.near, unknown.expected.is_empty()) {
        (Some(near), _) => diagnostic.with_help(did_you_mean(&near)),
        (None, false) => diagnostic.with_help(format!(
            "expected one of: {}",
            unknown
                .expected
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        (None, true) => diagnostic.with_help("this table has no keys"),
    }
}

/// Renames the key whose span is `span` anywhere in `table` to `rename` (unless
/// the table has that key already), or else removes it; true if the key was found.
fn fix_key(table: &mut DeTable<'_>, span: &std::ops::Range<usize>, rename: Option<&str>) -> bool {
    if let Some(key) = table.keys().find(|key| key.span() == *span).cloned() {
        let Some(value) = table.remove(&key) else {
            return false;
        };
        if let Some(new) = rename.filter(|new| !table.keys().any(|k| k.get_ref() == new)) {
            let key = toml::Spanned::new(span.clone(), std::borrow::Cow::Owned(new.to_owned()));
            table.insert(key, value);
        }
        return true;
    }
    table
        .iter_mut()
        .any(|(_, value)| fix_key_in_value(value.get_mut(), span, rename))
}

fn fix_key_in_value(
    value: &mut DeValue<'_>,
    span: &std::ops::Range<usize>,
    rename: Option<&str>,
) -> bool {
    match value {
        DeValue::Table(table) => fix_key(table, span, rename),
        DeValue::Array(items) => items
            .iter_mut()
            .any(|item| fix_key_in_value(item.get_mut(), span, rename)),
        _ => false,
    }
}
