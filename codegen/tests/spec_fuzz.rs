//! No input panics the loader: arbitrary bytes, arbitrary edits of the real spec,
//! and random assemblies of spec-shaped TOML all end in a model or in diagnostics
//! that render (human and JSON) and point inside the file.
//!
//! Cases per property: `PROPTEST_CASES` (default 256).

mod support;

use codegen::diagnostic::SpecErrors;
use proptest::prelude::*;

/// The loader's verdict on `bytes`, checked for what every error must have. A
/// spec that loads must also emit every artifact without error.
fn check_load(bytes: &[u8]) -> Result<(), TestCaseError> {
    match codegen::load_bytes(bytes, "fuzz.toml") {
        Ok(model) => {
            let artifacts = codegen::emit::all(&model);
            prop_assert!(artifacts.is_ok(), "{}", artifacts.unwrap_err());
            Ok(())
        }
        Err(errors) => check_errors(&errors),
    }
}

fn check_errors(errors: &SpecErrors) -> Result<(), TestCaseError> {
    prop_assert!(
        !errors.diagnostics.is_empty(),
        "an error without diagnostics"
    );
    for d in &errors.diagnostics {
        prop_assert!(!d.message.is_empty());
        prop_assert!(
            d.span.start <= errors.source.len() + 1,
            "span {:?} beyond the end ({} bytes): {}",
            d.span,
            errors.source.len(),
            d.message
        );
    }
    let text = errors.render();
    let summary = format!("{}\n", errors.summary());
    prop_assert!(text.ends_with(&summary));
    prop_assert!(text.contains("--> fuzz.toml:"));
    prop_assert_eq!(
        errors.render_json().lines().count(),
        errors.diagnostics.len()
    );
    Ok(())
}

/// One edit of a text: at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: f64, len: usize },
    Insert { at: f64, text: String },
    DuplicateLine { at: f64 },
    SwapLines { a: f64, b: f64 },
    Truncate { at: f64 },
    ReplaceByte { at: f64, byte: u8 },
}

/// Fragments that reach deep into the loader when inserted at random.
const FRAGMENTS: &[&str] = &[
    "\"",
    "'",
    "\"\"\"",
    "[",
    "]]",
    "[[struct]]\n",
    "[[struct.member]]\n",
    "[[struct.member.member]]\n",
    "[[enum.enumerator]]\n",
    "[[helper.param]]\n",
    "[hook.param]\n",
    "name = \"x\"\n",
    "name = \"type\"\n",
    "type = \"bind_md_t\"\n",
    "type = \"void\"\n",
    "type = \"uint8_t**\"\n",
    "array = 0\n",
    "array = 9223372036854775807\n",
    "array = -9223372036854775808\n",
    "anonymous = \"union\"\n",
    "value = \"9223372036854775807\"\n",
    "value = \"-0x8000000000000000\"\n",
    "value = \"SOCK_OPS_EXT_HELPER_FN_BASE - 9223372036854775807\"\n",
    "alias_of = \"BIND_DENY\"\n",
    "doc = \"\"\n",
    "doc = \"\\u0000*/\"\n",
    "rust_name = \"r#x\"\n",
    "only_at = []\n",
    "\u{feff}",
    "é",
    "\r\n",
    "\t",
    "#",
    "=",
    "\n",
];

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..1.0f64;
    prop_oneof![
        (at.clone(), 1usize..64).prop_map(|(at, len)| Edit::Delete { at, len }),
        (at.clone(), prop::sample::select(FRAGMENTS)).prop_map(|(at, text)| Edit::Insert {
            at,
            text: text.to_owned()
        }),
        (at.clone(), ".{0,12}").prop_map(|(at, text)| Edit::Insert { at, text }),
        at.clone().prop_map(|at| Edit::DuplicateLine { at }),
        (at.clone(), at.clone()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        at.clone().prop_map(|at| Edit::Truncate { at }),
        (at, any::<u8>()).prop_map(|(at, byte)| Edit::ReplaceByte { at, byte }),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let pos = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    let len = bytes.len();
    match edit {
        Edit::Delete { at, len: n } => {
            let start = pos(*at, len);
            bytes.drain(start..(start + n).min(len));
        }
        Edit::Insert { at, text } => {
            let start = pos(*at, len);
            bytes.splice(start..start, text.bytes());
        }
        Edit::DuplicateLine { at } | Edit::SwapLines { a: at, .. } => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let i = pos(*at, lines.len() - 1);
            match edit {
                Edit::SwapLines { b, .. } => {
                    let j = pos(*b, lines.len() - 1);
                    lines.swap(i, j);
                }
                _ => lines.insert(i, lines[i].clone()),
            }
            *bytes = lines.join(&b'\n');
        }
        Edit::Truncate { at } => bytes.truncate(pos(*at, len)),
        Edit::ReplaceByte { at, byte } => {
            if len > 0 {
                bytes[pos(*at, len - 1)] = *byte;
            }
        }
    }
}

/// A spec-shaped document: random tables and keys from the spec's vocabulary.
fn assembled() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|parts| {
        let mut text = String::from("[header]\nfile = \"a.h\"\ndoc = \"A.\"\n");
        text.extend(parts);
        text
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_the_loader(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check_load(&bytes)?;
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in "\\PC{0,512}") {
        check_load(text.as_bytes())?;
    }

    #[test]
    fn edits_of_the_real_spec_never_panic_the_loader(edits in prop::collection::vec(edit(), 1..6)) {
        let mut bytes = std::fs::read(support::spec_path()).unwrap();
        for e in &edits {
            apply(&mut bytes, e);
        }
        check_load(&bytes)?;
    }

    #[test]
    fn assembled_specs_never_panic_the_loader(text in assembled()) {
        check_load(text.as_bytes())?;
    }
}

/// The unedited spec is the baseline the edits start from: it must load.
#[test]
fn the_real_spec_loads() {
    let bytes = std::fs::read(support::spec_path()).unwrap();
    assert!(codegen::load_bytes(&bytes, "spec/nethooks.toml").is_ok());
}
