//! What a run did: its [`Verdict`], and the [`Outcome`] that runs in different
//! engines must agree on (helper calls, context, global data and map writes,
//! printk lines, ring-buffer records).

use std::collections::BTreeMap;
use std::fmt;

use ebpf_nethooks_bindings::abi::HookInfo;

use crate::context::{Context, ContextWrite, hex};
use crate::helpers::HelperCall;
use crate::helpers::session::RingRecord;
use crate::map_store::Maps;
use crate::program::GlobalWrite;

/// A program's return value, named by the hook's verdict enum when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// One of the hook's verdicts.
    Named { name: &'static str, value: i32 },
    /// A value that is none of the hook's verdicts.
    Unlisted(i32),
    /// The return value of a hook that returns a plain integer.
    Int(i32),
}

impl Verdict {
    /// The verdict of `hook` for the 32-bit return value in `r0`.
    pub fn of(hook: &HookInfo, r0: u64) -> Verdict {
        let value = r0 as u32 as i32;
        if hook.verdicts.is_empty() {
            return Verdict::Int(value);
        }
        match hook.verdicts.iter().find(|v| v.value == i64::from(value)) {
            Some(v) => Verdict::Named {
                name: v.name,
                value,
            },
            None => Verdict::Unlisted(value),
        }
    }

    /// The enumerator name, or the number.
    /// The value the program returned.
    pub fn value(&self) -> i32 {
        match self {
            Verdict::Named { value, .. } | Verdict::Unlisted(value) | Verdict::Int(value) => *value,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Verdict::Named { name, .. } => (*name).to_owned(),
            Verdict::Unlisted(v) => format!("unlisted value {v}"),
            Verdict::Int(v) => v.to_string(),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Named { name, value } => write!(f, "{name} ({value})"),
            other => f.write_str(&other.name()),
        }
    }
}

/// Everything a run did that a test can compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub calls: Vec<HelperCall>,
    pub writes: Vec<ContextWrite>,
    pub redirect_context: Option<Vec<u8>>,
    pub context_after: Context,
    /// Global data the run changed (always empty for a Rust program on the host).
    pub global_writes: Vec<GlobalWrite>,
    /// Map entries the run changed, map by map.
    pub map_writes: Vec<MapWrite>,
    /// Lines the program printed (`bpf_printk`), in order.
    pub printk: Vec<String>,
    /// Records the program wrote to ring buffers, in order.
    pub ring_records: Vec<RingRecord>,
}

/// The outcome as JSON: the one writer of what a run did, which the command line's
/// output and a scenario's runs both embed (keys sorted, as `serde_json` keeps them).
impl serde::Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let global_writes: Vec<serde_json::Value> = self
            .global_writes
            .iter()
            .map(|w| {
                serde_json::json!({
                    "name": w.name, "section": w.section, "offset": w.offset,
                    "before": hex(&w.before), "after": hex(&w.after),
                })
            })
            .collect();
        let map_writes: Vec<serde_json::Value> =
            self.map_writes.iter().map(MapWrite::to_json).collect();
        let ring_records: Vec<serde_json::Value> = self
            .ring_records
            .iter()
            .map(|r| serde_json::json!({ "map": r.map, "data": hex(&r.data) }))
            .collect();
        let mut map = serializer.serialize_map(Some(8))?;
        map.serialize_entry("context_writes", &self.writes)?;
        map.serialize_entry("global_writes", &global_writes)?;
        map.serialize_entry("helper_calls", &self.calls)?;
        map.serialize_entry("map_writes", &map_writes)?;
        map.serialize_entry("printk", &self.printk)?;
        map.serialize_entry("ring_records", &ring_records)?;
        map.serialize_entry("verdict", &self.verdict.name())?;
        map.serialize_entry("verdict_value", &self.verdict.value())?;
        map.end()
    }
}

impl Outcome {
    /// [`Outcome`]'s JSON as an object, for a writer to add keys of its own to.
    pub fn json_object(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => unreachable!("an outcome serializes to a JSON object"),
        }
    }
}

/// Where two outcomes of one input differ, briefly: the first part that differs,
/// as the CLI prints it, each side cut short.
pub fn difference(interpreter: &Outcome, jit: &Outcome) -> String {
    fn brief(text: String) -> String {
        crate::error::cut(&text).into_owned()
    }
    let lines = |o: &Outcome| -> Vec<(&'static str, String)> {
        let mut lines = vec![("verdict", o.verdict.to_string())];
        lines.extend(
            o.calls
                .iter()
                .map(|c| ("helper call", format!("{} {:?}", c.name, c.args))),
        );
        lines.extend(o.writes.iter().map(|w| {
            (
                "context write",
                format!("{} hex:{}", w.member, hex(&w.after)),
            )
        }));
        lines.extend(
            o.redirect_context
                .iter()
                .map(|b| ("redirect context", format!("hex:{}", hex(b)))),
        );
        lines.extend(o.effect_lines().into_iter().map(|l| ("effect", l)));
        lines
    };
    let (a, b) = (lines(interpreter), lines(jit));
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if x == y => continue,
            (Some((what, x)), Some(_)) => {
                let y = &b[i].1;
                return format!(
                    "{what}: the interpreter gives {}, the JIT {}",
                    brief(x.clone()),
                    brief(y.clone())
                );
            }
            (Some((what, x)), None) => {
                return format!("only the interpreter has a {what}: {}", brief(x.clone()));
            }
            (None, Some((what, y))) => {
                return format!("only the JIT has a {what}: {}", brief(y.clone()));
            }
            (None, None) => {}
        }
    }
    "their outcomes differ".to_owned()
}

impl Outcome {
    /// What the run left besides its verdict, helper calls and context writes, one
    /// line each, as the CLI and the scenario report print them: global writes, map
    /// writes, ring-buffer records, then printk lines.
    pub fn effect_lines(&self) -> Vec<String> {
        let globals = self.global_writes.iter().map(|w| {
            format!(
                "global write: {} hex:{} -> hex:{}",
                w.name,
                hex(&w.before),
                hex(&w.after)
            )
        });
        let maps = self.map_writes.iter().map(|w| format!("map write: {w}"));
        let rings = (self.ring_records.iter())
            .map(|r| format!("ring record: {} hex:{}", r.map, hex(&r.data)));
        let printk = self.printk.iter().map(|line| format!("printk: {line}"));
        globals.chain(maps).chain(rings).chain(printk).collect()
    }
}

/// A change a run made to one map.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MapWrite {
    pub map: String,
    pub change: MapChange,
}

/// How a map changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum MapChange {
    /// The value under `key`: `None` where there was (or is) no entry.
    Entry {
        key: Vec<u8>,
        before: Option<Vec<u8>>,
        after: Option<Vec<u8>>,
    },
    /// A queue's or stack's values, in pop order.
    Values {
        before: Vec<Vec<u8>>,
        after: Vec<Vec<u8>>,
    },
}

fn hex_or_none(bytes: Option<&Vec<u8>>) -> String {
    bytes.map_or("(none)".to_owned(), |b| format!("hex:{}", hex(b)))
}

impl fmt::Display for MapWrite {
    /// `policy key hex:01 hex:00 -> hex:02`, `(none)` for a missing entry;
    /// `queue values [hex:01] -> [hex:01, hex:02]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.change {
            MapChange::Entry { key, before, after } => write!(
                f,
                "{} key hex:{} {} -> {}",
                self.map,
                hex(key),
                hex_or_none(before.as_ref()),
                hex_or_none(after.as_ref())
            ),
            MapChange::Values { before, after } => {
                let list = |v: &[Vec<u8>]| {
                    let items: Vec<String> = v.iter().map(|b| format!("hex:{}", hex(b))).collect();
                    format!("[{}]", items.join(", "))
                };
                write!(f, "{} values {} -> {}", self.map, list(before), list(after))
            }
        }
    }
}

impl MapWrite {
    /// As JSON, bytes in hex.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.change {
            MapChange::Entry { key, before, after } => serde_json::json!({
                "map": self.map,
                "key": hex(key),
                "before": before.as_deref().map(hex),
                "after": after.as_deref().map(hex),
            }),
            MapChange::Values { before, after } => serde_json::json!({
                "map": self.map,
                "values_before": before.iter().map(|b| hex(b)).collect::<Vec<_>>(),
                "values_after": after.iter().map(|b| hex(b)).collect::<Vec<_>>(),
            }),
        }
    }
}

/// The contents of every map, to compare before and after a run: name, whether
/// keyed, entries (queues and stacks: values with empty keys, in pop order).
pub(crate) type MapContents = Vec<(String, bool, Vec<(Vec<u8>, Vec<u8>)>)>;

pub(crate) fn map_contents(maps: &Maps) -> MapContents {
    maps.iter()
        .map(|m| {
            let keyed = m.definition().key_size > 0;
            (m.name().to_owned(), keyed, m.entries())
        })
        .collect()
}

/// The changes from `before` to `after` (the same maps, in the same order).
pub(crate) fn map_writes(before: &MapContents, after: &MapContents) -> Vec<MapWrite> {
    let mut writes = Vec::new();
    for ((name, keyed, old), (_, _, new)) in before.iter().zip(after) {
        if old == new {
            continue;
        }
        if !keyed {
            let values =
                |entries: &[(Vec<u8>, Vec<u8>)]| entries.iter().map(|(_, v)| v.clone()).collect();
            writes.push(MapWrite {
                map: name.clone(),
                change: MapChange::Values {
                    before: values(old),
                    after: values(new),
                },
            });
            continue;
        }
        let (old, new): (BTreeMap<_, _>, BTreeMap<_, _>) =
            (old.iter().cloned().collect(), new.iter().cloned().collect());
        let keys: std::collections::BTreeSet<&Vec<u8>> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let (b, a) = (old.get(key), new.get(key));
            if b != a {
                writes.push(MapWrite {
                    map: name.clone(),
                    change: MapChange::Entry {
                        key: key.clone(),
                        before: b.cloned(),
                        after: a.cloned(),
                    },
                });
            }
        }
    }
    writes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook_of(section: &str) -> &'static HookInfo {
        nethooks_obj::hook_for_section(section).unwrap().0
    }

    #[test]
    fn verdicts_are_named_by_the_hooks_enum() {
        let table: &[(&str, u64, &str)] = &[
            ("bind", 0, "BIND_PERMIT_SOFT"),
            ("bind", 1, "BIND_DENY"),
            ("bind", 2, "BIND_REDIRECT"),
            ("bind", 3, "BIND_PERMIT_HARD"),
            ("bind", 4, "unlisted value 4"),
            // Only the low 32 bits are the C return value.
            ("bind", 0xFFFF_FFFF_0000_0001, "BIND_DENY"),
            ("bind", 0xFFFF_FFFF, "unlisted value -1"),
            ("cgroup/connect6", 0, "BPF_SOCK_ADDR_VERDICT_REJECT"),
            (
                "cgroup/recv_accept4",
                2,
                "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD",
            ),
            ("cgroup/connect4", 3, "unlisted value 3"),
            ("sockops", 0, "0"),
            ("sockops", 0xFFFF_FFFF, "-1"),
            ("sockops", 0x1_0000_0005, "5"),
        ];
        for (section, r0, name) in table {
            assert_eq!(
                Verdict::of(hook_of(section), *r0).name(),
                *name,
                "{section} {r0:#x}"
            );
        }
    }
}
