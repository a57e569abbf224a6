//! The verdict a run must return, as a scenario writes it (a name, a value, or a
//! table: `one_of`, `nonzero`, `min`/`max`, `mask`/`value`), and whether a run's
//! verdict matches it.

use crate::exec::vm::Verdict;
use crate::program::Program;

/// A verdict a run must return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedVerdict {
    Name(String),
    Value(i64),
    /// Any of these (`{ one_of = [..] }`).
    OneOf(Vec<ExpectedVerdict>),
    /// Any value but 0 (`{ nonzero = true }`).
    NonZero,
    /// From `min` to `max`, both included (`{ min = 1, max = 2 }`).
    Range(i64, i64),
    /// The bits of `mask` equal those of `value` (`{ mask = 0x2, value = 0x2 }`).
    Mask(i64, i64),
}

impl std::fmt::Display for ExpectedVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedVerdict::Name(name) => f.write_str(name),
            ExpectedVerdict::Value(v) => write!(f, "{v}"),
            ExpectedVerdict::OneOf(list) => {
                let items: Vec<String> = list.iter().map(ToString::to_string).collect();
                write!(f, "one of {}", items.join(", "))
            }
            ExpectedVerdict::NonZero => f.write_str("non-zero"),
            ExpectedVerdict::Range(min, max) => write!(f, "from {min} to {max}"),
            ExpectedVerdict::Mask(mask, value) => write!(f, "{value:#x} under mask {mask:#x}"),
        }
    }
}

pub(super) fn expected_verdict(
    program: &Program,
    spec: &toml::Value,
) -> Result<ExpectedVerdict, String> {
    let hook = program.hook;
    match spec {
        toml::Value::Integer(v) => Ok(ExpectedVerdict::Value(*v)),
        toml::Value::String(name) if hook.verdicts.iter().any(|v| v.name == name) => {
            Ok(ExpectedVerdict::Name(name.clone()))
        }
        toml::Value::String(name) => {
            let names: Vec<String> = hook
                .verdicts
                .iter()
                .map(|v| format!("`{}`", v.name))
                .collect();
            Err(format!(
                "verdict `{name}` is not one of `{}`'s verdicts: {}",
                hook.name,
                if names.is_empty() {
                    "it returns an integer".to_owned()
                } else {
                    names.join(", ")
                }
            ))
        }
        toml::Value::Table(t) => loose_verdict(program, t),
        other => Err(format!(
            "verdict {other} is neither a name, an integer nor a table of `one_of`, `nonzero`, \
             `min` and `max`, or `mask` and `value`"
        )),
    }
}

/// A verdict expectation that accepts several values.
fn loose_verdict(program: &Program, t: &toml::Table) -> Result<ExpectedVerdict, String> {
    let int = |key: &str| match t.get(key) {
        Some(toml::Value::Integer(v)) => Ok(*v),
        Some(other) => Err(format!("verdict `{key}` is {other}, not an integer")),
        None => Err(format!("verdict table needs `{key}`")),
    };
    let mut keys: Vec<&str> = t.keys().map(String::as_str).collect();
    keys.sort_unstable();
    match keys.as_slice() {
        ["one_of"] => match &t["one_of"] {
            toml::Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(|item| expected_verdict(program, item))
                .collect::<Result<Vec<_>, _>>()
                .map(ExpectedVerdict::OneOf),
            other => Err(format!(
                "verdict `one_of` is {other}, not a list of verdicts"
            )),
        },
        ["nonzero"] => match &t["nonzero"] {
            toml::Value::Boolean(true) => Ok(ExpectedVerdict::NonZero),
            other => Err(format!(
                "verdict `nonzero` is {other}; write `nonzero = true`"
            )),
        },
        ["max", "min"] => Ok(ExpectedVerdict::Range(int("min")?, int("max")?)),
        ["mask", "value"] => Ok(ExpectedVerdict::Mask(int("mask")?, int("value")?)),
        _ => Err(format!(
            "verdict table has keys {}; it takes `one_of`, `nonzero`, `min` and `max`, or `mask` \
             and `value`",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

pub(super) fn verdict_matches(verdict: &Verdict, expected: &ExpectedVerdict) -> bool {
    let value = match verdict {
        Verdict::Named { value, .. } | Verdict::Unlisted(value) | Verdict::Int(value) => *value,
    };
    let value = i64::from(value);
    match expected {
        ExpectedVerdict::Name(name) => {
            matches!(verdict, Verdict::Named { name: n, .. } if n == name)
        }
        ExpectedVerdict::Value(v) => value == *v,
        ExpectedVerdict::OneOf(list) => list.iter().any(|e| verdict_matches(verdict, e)),
        ExpectedVerdict::NonZero => value != 0,
        ExpectedVerdict::Range(min, max) => (*min..=*max).contains(&value),
        ExpectedVerdict::Mask(mask, bits) => value & mask == bits & mask,
    }
}
