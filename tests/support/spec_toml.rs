//! The spec's hooks and helpers read straight from `spec/nethooks.toml` with `toml`
//! (included with `#[path]` by the facade's and the generator's tests, beside their
//! `support` module, which says where the spec is), so a test can check the generator
//! and hand-written fixtures against the spec as written rather than against the
//! generator's model.
#![allow(dead_code)]

use toml::{Table, Value};

/// One `[[hook]]`: its typedef, context, and attach types as `(name, section)`.
#[derive(Debug)]
pub struct SpecHook {
    pub name: String,
    pub context: String,
    pub attach: Vec<(String, String)>,
}

impl SpecHook {
    pub fn attach_names(&self) -> Vec<&str> {
        self.attach.iter().map(|(name, _)| name.as_str()).collect()
    }
}

/// One `[[helper]]`: its hook and its `only_at` / `not_at` lists, if given.
#[derive(Debug)]
pub struct SpecHelper {
    pub name: String,
    pub hook: String,
    pub only_at: Option<Vec<String>>,
    pub not_at: Option<Vec<String>>,
}

fn spec() -> Table {
    let path = crate::support::spec_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&text)
}

fn parse(text: &str) -> Table {
    text.parse::<Table>()
        .unwrap_or_else(|e| panic!("the spec is not TOML: {e}"))
}

fn tables<'t>(table: &'t Table, key: &str) -> Vec<&'t Table> {
    match table.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_table()
                    .unwrap_or_else(|| panic!("`{key}` holds a non-table"))
            })
            .collect(),
        Some(_) => panic!("`{key}` is not an array of tables"),
        None => Vec::new(),
    }
}

fn string(table: &Table, key: &str) -> String {
    table
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string `{key}` in {table:?}"))
        .to_owned()
}

fn strings(table: &Table, key: &str) -> Option<Vec<String>> {
    table.get(key).map(|v| {
        v.as_array()
            .unwrap_or_else(|| panic!("`{key}` is not an array"))
            .iter()
            .map(|s| s.as_str().expect("a string").to_owned())
            .collect()
    })
}

/// Every hook of `spec/nethooks.toml`, in spec order.
pub fn hooks() -> Vec<SpecHook> {
    hooks_of(&spec())
}

/// Every hook of the spec `text`, in spec order.
pub fn hooks_in(text: &str) -> Vec<SpecHook> {
    hooks_of(&parse(text))
}

fn hooks_of(spec: &Table) -> Vec<SpecHook> {
    tables(spec, "hook")
        .into_iter()
        .map(|hook| SpecHook {
            name: string(hook, "name"),
            context: string(hook, "context"),
            attach: tables(hook, "attach")
                .into_iter()
                .map(|a| (string(a, "name"), string(a, "section")))
                .collect(),
        })
        .collect()
}

/// Every helper, in spec order.
pub fn helpers() -> Vec<SpecHelper> {
    let spec = spec();
    tables(&spec, "helper")
        .into_iter()
        .map(|helper| SpecHelper {
            name: string(helper, "name"),
            hook: string(helper, "hook"),
            only_at: strings(helper, "only_at"),
            not_at: strings(helper, "not_at"),
        })
        .collect()
}
