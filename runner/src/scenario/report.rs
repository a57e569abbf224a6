//! A scenario's report as text (what each run did, the final maps, what differs)
//! and as JSON (the same, maps included).

use crate::context::hex;
use crate::vm::Verdict;

use super::execute::{FinalMap, Report, RunReport};

fn engines(run: &RunReport) -> String {
    let names: Vec<&str> = run.engines.iter().map(|e| e.describe()).collect();
    names.join(" = ")
}

fn verdict_value(verdict: &Verdict) -> i32 {
    match verdict {
        Verdict::Named { value, .. } | Verdict::Unlisted(value) | Verdict::Int(value) => *value,
    }
}

impl Report {
    pub fn text(&self) -> String {
        let mut out = format!("scenario: {} ({} runs)\n", self.file, self.runs.len());
        for run in &self.runs {
            let o = &run.outcome;
            let expectation = match &run.expected {
                None => String::new(),
                Some(e)
                    if self
                        .differences
                        .iter()
                        .any(|d| d.starts_with(&format!("run {}: verdict", run.index))) =>
                {
                    format!(", expected {e}")
                }
                Some(_) => ", as expected".to_owned(),
            };
            out.push_str(&format!(
                "run {}: {} ({}): {}{expectation} [{}]\n",
                run.index,
                run.program,
                run.section,
                o.verdict,
                engines(run)
            ));
            for line in o.effect_lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        for map in &self.maps {
            out.push_str(&final_map_text(map));
        }
        for (section, bytes) in &self.globals {
            out.push_str(&format!("global data `{section}`: hex:{}\n", hex(bytes)));
        }
        for d in &self.differences {
            out.push_str(&format!("difference: {d}\n"));
        }
        out.push_str(&match self.differences.len() {
            0 => "result: as expected\n".to_owned(),
            1 => "result: 1 difference\n".to_owned(),
            n => format!("result: {n} differences\n"),
        });
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let runs: Vec<serde_json::Value> = self
            .runs
            .iter()
            .map(|run| {
                let o = &run.outcome;
                serde_json::json!({
                    "run": run.index,
                    "program": run.program,
                    "section": run.section,
                    "verdict": o.verdict.name(),
                    "verdict_value": verdict_value(&o.verdict),
                    "expected_verdict": run.expected,
                    "engines": run.engines,
                    "helper_calls": o.calls,
                    "context_writes": o.writes,
                    "global_writes": o.global_writes.iter().map(|w| serde_json::json!({
                        "name": w.name, "section": w.section, "offset": w.offset,
                        "before": hex(&w.before), "after": hex(&w.after),
                    })).collect::<Vec<_>>(),
                    "map_writes": o.map_writes.iter().map(|w| w.to_json()).collect::<Vec<_>>(),
                    "ring_records": o.ring_records.iter().map(|r| serde_json::json!({
                        "map": r.map, "data": hex(&r.data),
                    })).collect::<Vec<_>>(),
                    "printk": o.printk,
                })
            })
            .collect();
        serde_json::json!({
            "scenario": self.file,
            "as_expected": self.as_expected(),
            "differences": self.differences,
            "runs": runs,
            "maps": maps_json(&self.maps),
            "globals": self.globals.iter().map(|(s, b)| (s.clone(), serde_json::Value::from(hex(b)))).collect::<serde_json::Map<_, _>>(),
            "printk": self.printk,
        })
    }
}

/// `1 entry`, `2 entries`, `0 records`.
fn count(n: usize, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (n, Some(stem)) => format!("{n} {stem}ies"),
        (n, None) => format!("{n} {noun}s"),
    }
}

fn final_map_text(map: &FinalMap) -> String {
    let mut out = if map.map_type == "BPF_MAP_TYPE_RINGBUF" {
        let records = count(map.records.len(), "record");
        format!("ring buffer `{}`: {records}\n", map.name)
    } else {
        let entries = count(map.entries.len(), "entry");
        format!("map `{}` ({}): {entries}\n", map.name, map.map_type)
    };
    for (key, value) in &map.entries {
        if map.key_size == 0 {
            out.push_str(&format!("  hex:{}\n", hex(value)));
        } else {
            out.push_str(&format!("  hex:{} = hex:{}\n", hex(key), hex(value)));
        }
    }
    for record in &map.records {
        out.push_str(&format!("  hex:{}\n", hex(record)));
    }
    out
}

/// Every map by name: type, sizes, entries (keys and values in hex), records.
pub fn maps_json(maps: &[FinalMap]) -> serde_json::Value {
    maps.iter()
        .map(|m| {
            let value = serde_json::json!({
                "type": m.map_type,
                "key_size": m.key_size,
                "value_size": m.value_size,
                "entries": m.entries.iter().map(|(k, v)| serde_json::json!({
                    "key": hex(k), "value": hex(v),
                })).collect::<Vec<_>>(),
                "records": m.records.iter().map(|r| hex(r)).collect::<Vec<_>>(),
            });
            (m.name.clone(), value)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
