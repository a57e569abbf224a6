//! Doxygen, run on the generated header with the generated Doxyfile exactly as the
//! README says, prints no warning, and its XML documents every item of the spec in
//! the right section with the spec's own brief.

#[path = "support/docs.rs"]
mod docs;
mod support;

#[test]
fn doxygen_documents_every_spec_item_without_warnings() {
    let model = support::model();
    let scratch = docs::Scratch::generate(&model);
    let xml = docs::run_doxygen(scratch.root());
    docs::check_xml(&model, &xml);
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
    for (kind, mutate) in mutations {
        let mut model = support::model();
        let name = mutate(&mut model);
        let scratch = docs::Scratch::generate(&model);
        let outcome = std::panic::catch_unwind(|| {
            let xml = docs::run_doxygen(scratch.root());
            docs::check_xml(&model, &xml);
        });
        let message = match outcome {
            Ok(()) => panic!("{kind} {name} lost its brief, yet every check passed"),
            Err(payload) => payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        assert!(
            message.contains(&name),
            "{kind} {name}: the warning does not name it:\n{message}"
        );
    }
}
