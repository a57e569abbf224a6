//! Spec prose is data, not markup: doc strings full of sequences that mean something
//! to C, Doxygen, Markdown or Rust still give a header that compiles, a Doxygen run
//! with no warning, bindings that rustdoc accepts, and text that reads as written in
//! every output. Prose that no output can carry safely is a spec error.

#[path = "support/docs.rs"]
mod docs;
mod support;

use std::process::Command;

use support::{require_tool, run};

/// Put in front of every doc string of the real spec: each piece ends a C comment,
/// nests one, forms a trigraph, starts a Doxygen command, HTML tag or entity, or is
/// Markdown markup, and the whole starts like a list item.
const HOSTILE: &str = "1. - Hostile */ /* ??/ @brief \\ref \\n <b>bold</b> &amp; `code` \
                       \"quoted\" 'single' ünïcödé ☃ -- *em* _u_ [link](x) a|b ~~~ $m$ #h %p {g} @{ @} <!-- c --> &#47; https://example.com/a_b?c=d \
                       \u{00A0}end";

/// The real spec with [`HOSTILE`] (as a TOML escape sequence) and a line break put at
/// the start of every `doc` string.
fn hostile_spec() -> String {
    let text = std::fs::read_to_string(support::spec_path()).expect("read the spec");
    let escaped: String = HOSTILE
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_owned(),
            '\\' => "\\\\".to_owned(),
            c if !c.is_ascii() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    let prefix = format!("{escaped}\\n");
    let mut count = 0;
    let out: Vec<String> = text
        .lines()
        .map(|line| {
            for opener in ["doc = \"\"\"", "doc = \""] {
                if let Some(rest) = line.strip_prefix(opener) {
                    count += 1;
                    return format!("{opener}{prefix}{rest}");
                }
            }
            line.to_owned()
        })
        .collect();
    assert!(count > 50, "only {count} doc strings found in the spec");
    out.join("\n") + "\n"
}

fn hostile_model() -> codegen::model::Model {
    codegen::load_str(&hostile_spec(), "hostile.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The hostile text as the model holds it: whitespace runs (the line break
/// included) joined into single spaces.
fn hostile_brief_prefix() -> String {
    HOSTILE.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_brief_of_the_hostile_spec_starts_with_the_hostile_text() {
    let model = hostile_model();
    let prefix = hostile_brief_prefix();
    assert!(model.header.doc.brief.starts_with(&prefix));
    for s in &model.structs {
        assert!(s.doc.brief.starts_with(&prefix), "{}", s.name);
        for (_, m) in s.leaf_fields() {
            assert!(m.doc.brief.starts_with(&prefix), "{:?}", m.name());
        }
    }
    for h in &model.helpers {
        assert!(h.doc.brief.starts_with(&prefix), "{}", h.name);
    }
}

#[test]
fn rust_with_hostile_docs_is_rustfmt_clean() {
    support::assert_rustfmt_clean(&hostile_model());
}

#[test]
fn header_with_hostile_docs_compiles_cleanly() {
    let model = hostile_model();
    let scratch = docs::Scratch::generate(&model);
    let header = scratch.header(&model);
    let source = scratch.root().join("use_header.c");
    std::fs::write(
        &source,
        format!(
            "#include \"{}\"\nint main(void) {{ return 0; }}\n",
            header.display()
        ),
    )
    .unwrap();
    // C11 keeps trigraphs on, so a `??/` that reached the header would be caught.
    let compilers: [(&str, &[&str]); 4] = [
        ("gcc", &["-x", "c", "-std=c11"]),
        ("gcc", &["-x", "c", "-std=gnu11"]),
        ("clang", &["-x", "c", "-std=c11"]),
        ("g++", &["-x", "c++", "-std=c++14"]),
    ];
    for (compiler, flags) in compilers {
        run(Command::new(require_tool(compiler))
            .args(flags)
            .args(["-Wall", "-Wextra", "-Werror", "-Wcomment", "-Wtrigraphs"])
            .args(["-fsyntax-only", "-I"])
            // The header includes `<ebpf_windows.h>`, its drop-in beside it.
            .arg(header.parent().unwrap())
            .arg(&source));
    }
}

#[test]
fn doxygen_reads_hostile_docs_as_written_without_warnings() {
    let model = hostile_model();
    let scratch = docs::Scratch::generate(&model);
    let xml = docs::run_doxygen(scratch.root());
    // Every brief Doxygen shows equals the spec's, hostile text and all.
    docs::check_xml(&model, &xml);
}

#[test]
fn markdown_reference_reads_hostile_docs_as_written() {
    let model = hostile_model();
    let scratch = docs::Scratch::generate(&model);
    let markdown = scratch.read(codegen::emit::markdown::path(&model));
    let blocks = docs::markdown_blocks(&markdown);
    let prefix = docs::normalize(&hostile_brief_prefix());
    let hostile_blocks = blocks.iter().filter(|b| b.contains(&prefix)).count();
    // One per doc string at least (paragraphs, table cells).
    assert!(
        hostile_blocks > 50,
        "the hostile text reads as written in only {hostile_blocks} blocks"
    );
    for b in &blocks {
        if b.contains("Hostile") {
            assert!(
                b.contains(&prefix),
                "hostile text was changed by Markdown: {b:?}"
            );
        }
    }
}

#[test]
fn rust_bindings_with_hostile_docs_build_and_document_cleanly() {
    let model = hostile_model();
    let scratch = docs::Scratch::generate(&model);
    let lib = scratch.generated().join("rust/src/lib.rs");
    let escaped = codegen::emit::escape::rust_doc(&hostile_brief_prefix());
    assert!(
        scratch
            .read("rust/src/lib.rs")
            .contains(&format!("/// {escaped}")),
        "the escaped hostile text is not a doc comment of the bindings"
    );
    let pages = docs::run_rustdoc(&model, &lib, &scratch.root().join("doc"));
    let html = std::fs::read_to_string(pages.join("index.html")).unwrap();
    assert!(
        html.contains("Hostile"),
        "rustdoc lost the crate documentation"
    );
}

/// Prose that no output can carry safely, and return values Doxygen cannot show as
/// one word, are refused with a located error.
#[test]
fn unrepresentable_text_is_a_spec_error() {
    let spec = std::fs::read_to_string(support::spec_path()).expect("read the spec");
    // Just inside the first one-line `doc = "..."` string.
    let first_doc = spec
        .match_indices("doc = \"")
        .map(|(i, m)| i + m.len())
        .find(|&i| !spec[i..].starts_with('"'))
        .expect("a one-line doc string");
    let first_retval = spec
        .find("value = \"BIND_PERMIT_SOFT\"")
        .expect("a return value");
    let cases: [(&str, String, &str); 4] = [
        (
            "bidirectional override",
            format!("{}\\u202E{}", &spec[..first_doc], &spec[first_doc..]),
            "U+202E",
        ),
        (
            "control character",
            format!("{}\\u0007{}", &spec[..first_doc], &spec[first_doc..]),
            "U+0007",
        ),
        (
            "return value of two words",
            spec.replacen(
                "[[hook.retval]]\nvalue = \"0\"",
                "[[hook.retval]]\nvalue = \"zero or more\"",
                1,
            ),
            "is not a return value",
        ),
        (
            "return value with a quote",
            format!(
                "{}value = \"BIND\\\"X\"{}",
                &spec[..first_retval],
                &spec[first_retval + "value = \"BIND_PERMIT_SOFT\"".len()..]
            ),
            "is not",
        ),
    ];
    for (what, text, expected) in cases {
        match codegen::load_str(&text, "bad.toml") {
            Ok(_) => panic!("{what}: the spec was accepted"),
            Err(errors) => {
                let shown = errors.to_string();
                assert!(
                    shown.contains(expected),
                    "{what}: error does not say {expected:?}:\n{shown}"
                );
                assert!(
                    shown.contains("bad.toml:"),
                    "{what}: error is not located:\n{shown}"
                );
            }
        }
    }
}
