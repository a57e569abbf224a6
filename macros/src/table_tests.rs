//! The generated hook table and the attributes it drives.

use crate::expand_tests::entries;
use crate::parse::parse;
use crate::table::HookQueries;
use crate::tests::{DOOR, messages, tokens};
use crate::validate::{ContextForm, validate};

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
        assert_eq!(hook.name.strip_suffix("_t"), Some(hook.attribute));
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
