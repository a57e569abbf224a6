//! Doxygen, run on the generated header with the generated Doxyfile exactly as the
//! README says, and with only its XML output on (as Breathe/Sphinx users run it),
//! prints no warning, and its XML documents every item of the spec in the right
//! section with the spec's own brief.

#[path = "support/docs.rs"]
mod docs;
mod support;

/// The ways the Doxyfile is run: as generated, and with HTML switched off. Doxygen
/// 1.9.4 checks parameter docs differently when it writes no HTML, which once made
/// the XML-only run warn about every helper.
const RUNS: [(&str, Option<&str>); 2] = [
    ("HTML and XML", None),
    ("XML only", Some("GENERATE_HTML = NO")),
];

/// Generates `model` into a scratch workspace; `setting`, if any, is appended to its
/// Doxyfile (a later line overrides an earlier one).
fn scratch(model: &codegen::model::Model, setting: Option<&str>) -> docs::Scratch {
    let scratch = docs::Scratch::generate(model);
    if let Some(setting) = setting {
        let path = scratch.generated().join("docs/Doxyfile");
        let doxyfile = scratch.read("docs/Doxyfile");
        std::fs::write(&path, format!("{doxyfile}{setting}\n")).unwrap();
    }
    scratch
}

#[test]
fn doxygen_documents_every_spec_item_without_warnings() {
    let model = support::model();
    for (run, setting) in RUNS {
        let scratch = scratch(&model, setting);
        let outcome = std::panic::catch_unwind(|| {
            let xml = docs::run_doxygen(scratch.root());
            docs::check_xml(&model, &xml);
        });
        if let Err(payload) = outcome {
            let message = payload.downcast_ref::<String>().cloned();
            panic!("{run}: {}", message.unwrap_or_default());
        }
        let html = scratch.generated().join("docs/html").is_dir();
        assert_eq!(html, setting.is_none(), "{run}: wrote HTML is {html}");
    }
}

/// CI fails the moment an item loses its documentation: each row takes the text away
/// from one kind of item, and the checks above must then fail, naming it. (Doxygen
/// warns about most undocumented items; not about enumerators, which the XML check
/// catches.)
#[test]
fn an_item_without_documentation_fails_the_doxygen_run() {
    type Mutation = fn(&mut codegen::model::Model) -> String;
    let mutations: [(&str, Mutation); 5] = [
        ("struct member", |m| {
            let member = &mut m.structs[0].members[0];
            member.doc.brief.clear();
            member.name().unwrap_or("anonymous").to_owned()
        }),
        ("enumerator", |m| {
            let v = &mut m.enums[0].enumerators[0];
            v.doc.brief.clear();
            v.name.clone()
        }),
        ("constant", |m| {
            m.constants[0].doc.brief.clear();
            m.constants[0].name.clone()
        }),
        ("helper", |m| {
            m.helpers[0].doc.brief.clear();
            m.helpers[0].name.clone()
        }),
        ("hook", |m| {
            m.hooks[0].doc.brief.clear();
            m.hooks[0].name.clone()
        }),
    ];
    for ((kind, mutate), (run, setting)) in mutations.into_iter().flat_map(|m| RUNS.map(|r| (m, r)))
    {
        let mut model = support::model();
        let name = mutate(&mut model);
        let scratch = scratch(&model, setting);
        let outcome = std::panic::catch_unwind(|| {
            let xml = docs::run_doxygen(scratch.root());
            docs::check_xml(&model, &xml);
        });
        let message = match outcome {
            Ok(()) => panic!("{run}: {kind} {name} lost its brief, yet every check passed"),
            Err(payload) => payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        assert!(
            message.contains(&name),
            "{run}: {kind} {name}: the warning does not name it:\n{message}"
        );
    }
}

/// One Doxygen run covers the headers of every spec, as the generated Doxyfile lists
/// them: no warning, and every general helper (and the printk front ends of its macro
/// block) is a documented function with its brief.
#[test]
fn doxygen_documents_the_headers_of_every_spec() {
    let dir = tempfile::tempdir().unwrap();
    let artifacts = codegen::generate_all(&support::all_specs(), &codegen::emit::Kind::ALL)
        .unwrap_or_else(|errors| panic!("{}", errors[0]));
    codegen::output::write_all(&dir.path().join("generated"), &artifacts).unwrap();
    let xml = docs::run_doxygen(dir.path());
    let model = support::model_of("bpf_helpers.toml");
    let page = std::fs::read_to_string(xml.join("bpf__helper__defs_8h.xml")).unwrap();
    let page = docs::normalize(&page);
    let names = model
        .helpers
        .iter()
        .map(|h| (h.name.as_str(), Some(&h.doc.brief)));
    for (name, brief) in names.chain([("bpf_trace_printk", None), ("bpf_printk", None)]) {
        assert!(
            page.contains(&format!("<name>{name}</name>")),
            "{name} is not documented"
        );
        // The brief's opening words: XML escapes quotes and apostrophes.
        if let Some(brief) = brief {
            let words = brief
                .split(|c: char| !(c.is_alphanumeric() || c == ' '))
                .next();
            let words = words.unwrap_or_default().trim();
            assert!(page.contains(words), "{name}: no brief {words:?}");
        }
    }
}
