//! rustdoc, run with `-D warnings` on freshly generated bindings, accepts every doc
//! comment, and its pages link each hook to its context and verdict and to the
//! helpers its programs may call, and back.

#[path = "support/docs.rs"]
mod docs;
mod support;

use codegen::model::Type;

#[test]
fn hooks_contexts_verdicts_and_helpers_link_to_each_other() {
    let model = support::model();
    let scratch = docs::Scratch::generate(&model);
    let pages = docs::run_rustdoc(
        &model,
        &scratch.generated().join("rust/src/lib.rs"),
        &scratch.root().join("doc"),
    );
    let page = |file: String| {
        let path = pages.join(&file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    // (page, page it must link to), all derived from the model.
    let mut expected: Vec<(String, String)> = Vec::new();
    for h in &model.hooks {
        let hook = format!("type.{}.html", h.name);
        let context_name = &model.structure(h.context).name;
        let context = format!("struct.{context_name}.html");
        expected.push((hook.clone(), context.clone()));
        expected.push((context, hook.clone()));
        if let Type::Enum(verdict) = h.returns {
            let verdict = format!("enum.{}.html", model.enum_(verdict).name);
            expected.push((hook.clone(), verdict.clone()));
            expected.push((verdict, hook.clone()));
        }
        for helper in h.helpers.iter().map(|&x| model.helper(x)) {
            let helper_page = format!("fn.{}.html", helper.name);
            expected.push((hook.clone(), helper_page.clone()));
            expected.push((helper_page.clone(), hook.clone()));
            expected.push((helper_page, format!("struct.{context_name}.html")));
        }
    }
    assert!(!expected.is_empty(), "the spec has no hooks");
    let missing: Vec<String> = expected
        .iter()
        .filter(|(from, to)| !page(from.clone()).contains(&format!("href=\"{to}\"")))
        .map(|(from, to)| format!("{from} does not link to {to}"))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
