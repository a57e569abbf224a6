//! `docs/Doxyfile`: the Doxygen configuration that turns the generated header into
//! HTML (and XML, which the tests read).
//!
//! It is strict on purpose: every warning fails the run, and an undocumented item
//! is a warning, so the documentation cannot silently lose an item. Paths are
//! relative to the workspace root, where `doxygen generated/docs/Doxyfile` is run.

use crate::model::Model;

use super::artifact::{EmitError, Kind, banner};

/// The directory, relative to the workspace root, that `codegen` writes into by default.
const GENERATED_DIR: &str = "generated";

pub fn emit(model: &Model) -> Result<String, EmitError> {
    // This spec's header and its drop-ins, then those of the other specs of the run.
    let drop_ins = (model.header.project_includes.iter())
        .filter(|i| i.drop_in)
        .map(|i| &i.file);
    let files = std::iter::once(&model.header.file)
        .chain(drop_ins)
        .chain(model.header.siblings.iter().map(|s| &s.header_file));
    let input: Vec<String> = files
        .map(|file| quoted(&format!("{GENERATED_DIR}/include/{file}")))
        .collect::<Result<_, _>>()?;
    let settings: Vec<(&str, String)> = vec![
        ("PROJECT_NAME", quoted(&model.header.stem)?),
        ("INPUT", input.join(" ")),
        ("INPUT_ENCODING", "UTF-8".into()),
        // html/ and xml/ below this directory are git-ignored.
        ("OUTPUT_DIRECTORY", format!("{GENERATED_DIR}/docs")),
        ("OPTIMIZE_OUTPUT_FOR_C", "YES".into()),
        // Paths in the output stay the same wherever the checkout is.
        ("FULL_PATH_NAMES", "NO".into()),
        // Only documented items are shown, and an undocumented one is a warning.
        ("EXTRACT_ALL", "NO".into()),
        ("QUIET", "YES".into()),
        ("WARNINGS", "YES".into()),
        ("WARN_IF_UNDOCUMENTED", "YES".into()),
        ("WARN_IF_DOC_ERROR", "YES".into()),
        // Off: from 1.9.4, Doxygen records a function's @param/@return only while
        // writing HTML or LaTeX, so an XML-only run (Breathe) calls every helper's
        // parameters undocumented (doxygen/doxygen#11147). The spec requires a doc on
        // every parameter and return, and `tests/doxygen.rs` checks them in the XML.
        ("WARN_NO_PARAMDOC", "NO".into()),
        // Report every warning, then exit non-zero (YES would stop at the first).
        ("WARN_AS_ERROR", "FAIL_ON_WARNINGS".into()),
        // The header hides its helper plumbing (function-pointer typedefs, ID casts,
        // layout checks) behind `__doxygen`; EBPF_HELPER then declares a plain
        // prototype, so each helper is listed under Functions with its parameters.
        ("ENABLE_PREPROCESSING", "YES".into()),
        ("MACRO_EXPANSION", "YES".into()),
        ("EXPAND_ONLY_PREDEF", "YES".into()),
        ("SEARCH_INCLUDES", "NO".into()),
        (
            "PREDEFINED",
            "__doxygen \"EBPF_HELPER(return_type,name,args)=return_type name args\"".into(),
        ),
        ("GENERATE_HTML", "YES".into()),
        ("HTML_OUTPUT", "html".into()),
        ("GENERATE_XML", "YES".into()),
        ("XML_OUTPUT", "xml".into()),
        ("GENERATE_LATEX", "NO".into()),
        // Graphviz is not needed, and a missing `dot` must not be a warning.
        ("HAVE_DOT", "NO".into()),
    ];
    let width = settings.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!("# {}\n", banner(model));
    out.push_str("# Build the HTML from the workspace root: doxygen generated/docs/Doxyfile\n");
    for (key, value) in settings {
        out.push_str(&format!("{key:<width$} = {value}\n"));
    }
    Ok(out)
}

/// A quoted Doxyfile value made from the header's file name. Doxygen has no
/// reliable escape for a quote or a backslash there, and expands `$(NAME)`, so such
/// text is refused (the resolver already refuses it in a header file name).
fn quoted(text: &str) -> Result<String, EmitError> {
    if text.contains(['"', '\\', '\n']) || text.contains("$(") {
        return Err(EmitError {
            artifact: Kind::Doxyfile,
            item: "header.file".to_owned(),
            problem: format!(
                "{text:?} cannot be a quoted value (quotes, backslashes, `$(` and line ends are not allowed)"
            ),
        });
    }
    Ok(format!("\"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_plain_values_and_refuses_unsafe_ones() {
        let cases = [
            ("ebpf_nethooks", Some("\"ebpf_nethooks\"")),
            ("with space.h", Some("\"with space.h\"")),
            ("say\"hi", None),
            ("a\\b", None),
            ("$(HOME)", None),
            ("two\nlines", None),
        ];
        for (input, expected) in cases {
            assert_eq!(quoted(input).ok().as_deref(), expected, "input {input:?}");
        }
    }
}
