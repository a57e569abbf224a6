//! Test fixtures that must name every attach type of the spec by hand (Rust cannot
//! loop over attach types in an attribute) are checked against `spec/nethooks.toml`
//! read with `toml`: an attach type added to or removed from the spec fails here,
//! naming the fixture, the list and the attach types missing or extra.

#[path = "support/spec_toml.rs"]
mod spec_toml;
mod support;

use spec_toml::SpecHook;

/// A fixture and the lists in it that must follow the spec.
struct Fixture {
    path: &'static str,
    check: fn(&[SpecHook], &str, &mut Vec<String>),
}

const FIXTURES: &[Fixture] = &[
    // One program per hook, at every attach type of the hook.
    Fixture {
        path: "tests/hook_programs/src/lib.rs",
        check: |hooks, source, problems| {
            for hook in hooks {
                let attribute = attribute(hook);
                let names = hook.attach_names();
                let lists = attribute_lists(source, attribute);
                let what = format!("`#[{attribute}]` program");
                match (names.as_slice(), lists.as_slice()) {
                    // A hook with one attach type takes none in its attribute.
                    ([_], [None]) => {}
                    (_, [Some(list)]) => compare(&what, &names, list, problems),
                    _ => problems.push(format!(
                        "{what}: expected one, with the attach types {names:?}; found {lists:?}"
                    )),
                }
            }
        },
    },
    // One typed program per sock_addr attach type, one program at all of them, and
    // the arrays of their entry points that `main` runs.
    Fixture {
        path: "tests/ui/pass/sock_addr_hook_each_attach_type.rs",
        check: |hooks, source, problems| {
            let hook = hooks
                .iter()
                .find(|h| h.name == "sock_addr_hook_t")
                .expect("the spec has sock_addr_hook_t");
            let names = hook.attach_names();
            let lists = attribute_lists(source, "sock_addr_hook");
            let singles: Vec<String> = lists
                .iter()
                .flatten()
                .filter(|l| l.len() == 1)
                .map(|l| l[0].clone())
                .collect();
            compare("programs with one attach type", &names, &singles, problems);
            let several: Vec<&Vec<String>> =
                lists.iter().flatten().filter(|l| l.len() > 1).collect();
            match several.as_slice() {
                [list] => compare("the program at every attach type", &names, list, problems),
                _ => problems.push(format!(
                    "expected one program at every attach type, found {}",
                    several.len()
                )),
            }
            let single = array_items(source, "let single", "at_");
            compare("entry points in `single`", &names, &single, problems);
            let all = array_items(source, "let all", "everywhere_");
            compare("entry points in `all`", &names, &all, problems);
        },
    },
];

/// The attribute of a hook: its typedef without `_t` (`codegen/tests/hook_table.rs`
/// checks the generated table names them so).
fn attribute(hook: &SpecHook) -> &str {
    hook.name.strip_suffix("_t").unwrap_or(&hook.name)
}

/// The argument list of each `#[attribute]` / `#[attribute(a, b)]` in `source`:
/// `None` for the bare attribute.
fn attribute_lists(source: &str, attribute: &str) -> Vec<Option<Vec<String>>> {
    let open = format!("#[{attribute}");
    let mut lists = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at + open.len()..];
        if let Some(after) = rest.strip_prefix(']') {
            lists.push(None);
            rest = after;
        } else if let Some(args) = rest.strip_prefix('(') {
            let end = args.find(")]").expect("the attribute's arguments end");
            let names = args[..end]
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect();
            lists.push(Some(names));
            rest = &args[end..];
        }
        // Anything else (`#[bind_hook_x]`) is another attribute.
    }
    lists
}

/// The items of the array literal of the statement starting `let_binding`, each
/// without `prefix`.
fn array_items(source: &str, let_binding: &str, prefix: &str) -> Vec<String> {
    let Some(start) = source.find(let_binding) else {
        return Vec::new();
    };
    let body = &source[start..];
    let open = body.find("= [").expect("an array literal") + 3;
    let close = open + body[open..].find("];").expect("the array ends");
    body[open..close]
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| item.strip_prefix(prefix).unwrap_or(item).to_owned())
        .collect()
}

/// Records what `found` lacks of the spec's `expected` attach types and has beyond them.
fn compare(what: &str, expected: &[&str], found: &[String], problems: &mut Vec<String>) {
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !found.iter().any(|f| f == e))
        .collect();
    let extra: Vec<&str> = found
        .iter()
        .map(String::as_str)
        .filter(|f| !expected.contains(f))
        .collect();
    let mut sorted: Vec<&str> = found.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let repeated = sorted.windows(2).any(|w| w[0] == w[1]);
    if !missing.is_empty() || !extra.is_empty() || repeated {
        problems.push(format!(
            "{what}: missing attach types {missing:?}, extra {extra:?}{}",
            if repeated { ", some named twice" } else { "" }
        ));
    }
}

/// Every problem of every fixture against the spec `hooks`, each line naming its file.
fn problems(hooks: &[SpecHook]) -> Vec<String> {
    let mut all = Vec::new();
    for fixture in FIXTURES {
        let path = support::workspace_root().join(fixture.path);
        let source =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut problems = Vec::new();
        (fixture.check)(hooks, &source, &mut problems);
        all.extend(
            problems
                .into_iter()
                .map(|p| format!("{}: {p}", fixture.path)),
        );
    }
    all
}

#[test]
fn fixtures_name_every_attach_type_of_the_spec() {
    let problems = problems(&spec_toml::hooks());
    assert!(
        problems.is_empty(),
        "fixtures out of step with spec/nethooks.toml:\n{}",
        problems.join("\n")
    );
}

/// The check fails, naming the new attach type in each list, once the spec has an
/// attach type the fixtures lack.
#[test]
fn an_attach_type_added_to_the_spec_is_reported_missing_from_each_fixture() {
    let hooks = spec_toml::hooks_in(&support::spec_with_added_attach_type());
    let problems = problems(&hooks);
    let expected = [
        "tests/hook_programs/src/lib.rs: `#[sock_addr_hook]` program",
        "sock_addr_hook_each_attach_type.rs: programs with one attach type",
        "sock_addr_hook_each_attach_type.rs: the program at every attach type",
        "sock_addr_hook_each_attach_type.rs: entry points in `single`",
        "sock_addr_hook_each_attach_type.rs: entry points in `all`",
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (problem, start) in problems.iter().zip(expected) {
        assert!(
            problem.contains(start)
                && problem.contains("missing attach types [\"connect_redirect4\"], extra []"),
            "{problem}"
        );
    }
}
