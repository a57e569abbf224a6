//! A scenario's report as text (what each run did, the final maps, what differs)
//! and as JSON (the same, maps included).

use crate::context::hex;

use super::compare::FinalMap;
use super::difference::DifferenceKind;
use super::execute::{Report, RunReport};

fn engines(run: &RunReport) -> String {
    let names: Vec<&str> = run.engines.iter().map(|e| e.describe()).collect();
    names.join(" = ")
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
                        .any(|d| d.run == Some(run.index) && d.kind == DifferenceKind::Verdict) =>
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

    /// The report as one JSON value. For many runs prefer [`Report::write_json`],
    /// which never holds more than one run's JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(ReportJson(self)).unwrap_or_default()
    }

    /// Writes the report as pretty-printed JSON (the same as [`Report::json`]),
    /// building one run's JSON at a time, so a scenario of 100,000 runs needs little
    /// more memory than its report.
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &ReportJson(self))?;
        out.write_all(b"\n")
    }
}

/// A report serialized field by field, its runs one at a time (keys in the order
/// `serde_json::json!` sorts them).
struct ReportJson<'a>(&'a Report);

impl serde::Serialize for ReportJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let r = self.0;
        let globals: serde_json::Map<String, serde_json::Value> = r
            .globals
            .iter()
            .map(|(s, b)| (s.clone(), serde_json::Value::from(hex(b))))
            .collect();
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("as_expected", &r.as_expected())?;
        map.serialize_entry("differences", &r.differences)?;
        map.serialize_entry("globals", &globals)?;
        map.serialize_entry("maps", &maps_json(&r.maps))?;
        map.serialize_entry("printk", &r.printk)?;
        map.serialize_entry("runs", &RunsJson(&r.runs))?;
        map.serialize_entry("scenario", &r.file)?;
        map.end()
    }
}

struct RunsJson<'a>(&'a [RunReport]);

impl serde::Serialize for RunsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for run in self.0 {
            seq.serialize_element(&run_json(run))?;
        }
        seq.end()
    }
}

/// One run as JSON: its outcome's ([`crate::exec::outcome::Outcome`]'s JSON) and
/// where it ran.
fn run_json(run: &RunReport) -> serde_json::Value {
    let mut json = run.outcome.json_object();
    json.extend([
        ("run".to_owned(), serde_json::json!(run.index)),
        ("program".to_owned(), serde_json::json!(run.program)),
        ("section".to_owned(), serde_json::json!(run.section)),
        (
            "expected_verdict".to_owned(),
            serde_json::json!(run.expected),
        ),
        ("engines".to_owned(), serde_json::json!(run.engines)),
    ]);
    json.into()
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
