//! The maps at the end of a scenario: as they are ([`FinalMap`]) and as the scenario
//! expects them (the differences, one line each).

use crate::context::hex;
use crate::map_store::{Map, MapType};

/// One map after the last run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FinalMap {
    pub name: String,
    pub map_type: String,
    pub key_size: u32,
    pub value_size: u32,
    /// Arrays: the slots that are not zero; hashes: every entry; queues and stacks:
    /// values in pop order with empty keys.
    pub entries: Vec<(Vec<u8>, Vec<u8>)>,
    /// A ring buffer's records, oldest first.
    pub records: Vec<Vec<u8>>,
}

fn is_array(map: &Map) -> bool {
    matches!(
        map.definition().map_type,
        MapType::ARRAY | MapType::PERCPU_ARRAY
    )
}

/// Every map as it is now.
pub fn final_maps(maps: &crate::map_store::Maps) -> Vec<FinalMap> {
    maps.iter().map(final_map).collect()
}

pub(super) fn final_map(map: &Map) -> FinalMap {
    let d = map.definition();
    let mut entries = map.entries();
    if is_array(map) {
        entries.retain(|(_, v)| v.iter().any(|&b| b != 0));
    }
    FinalMap {
        name: d.name.clone(),
        map_type: d.map_type.name().unwrap_or("?").to_owned(),
        key_size: d.key_size,
        value_size: d.value_size,
        entries,
        records: map.records().iter().map(|r| r.to_vec()).collect(),
    }
}

/// Differences between two lists, item by item, then in length.
pub(super) fn compare_list<T: PartialEq>(
    what: &str,
    item: &str,
    got: &[T],
    expected: &[T],
    show: impl Fn(&T) -> String,
    differences: &mut Vec<String>,
) {
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        if g != e {
            differences.push(format!(
                "{what}: {item} {} expected {}, got {}",
                i + 1,
                show(e),
                show(g)
            ));
        }
    }
    if got.len() != expected.len() {
        let extra: Vec<String> = if got.len() > expected.len() {
            got[expected.len()..].iter().map(&show).collect()
        } else {
            expected[got.len()..].iter().map(&show).collect()
        };
        let more = if got.len() > expected.len() {
            "also got"
        } else {
            "missing"
        };
        differences.push(format!(
            "{what}: {} {item}s, expected {}; {more}: {}",
            got.len(),
            expected.len(),
            extra.join(", ")
        ));
    }
}

pub(super) fn compare_map(
    map: &Map,
    expected: &[(Option<Vec<u8>>, Vec<u8>)],
    differences: &mut Vec<String>,
) {
    let name = map.name();
    let entries = map.entries();
    if map.definition().key_size == 0 {
        let got: Vec<Vec<u8>> = entries.into_iter().map(|(_, v)| v).collect();
        let want: Vec<Vec<u8>> = expected.iter().map(|(_, v)| v.clone()).collect();
        let show = |v: &Vec<u8>| format!("hex:{}", hex(v));
        compare_list(
            &format!("map `{name}`"),
            "value",
            &got,
            &want,
            show,
            differences,
        );
        return;
    }
    let want: std::collections::BTreeMap<&Vec<u8>, &Vec<u8>> = expected
        .iter()
        .filter_map(|(k, v)| Some((k.as_ref()?, v)))
        .collect();
    let array = is_array(map);
    for (key, value) in &entries {
        let zero = value.iter().all(|&b| b == 0);
        match want.get(key) {
            Some(w) if *w == value => {}
            Some(w) => differences.push(format!(
                "map `{name}`: key hex:{} expected hex:{}, got hex:{}",
                hex(key),
                hex(w),
                hex(value)
            )),
            None if array && zero => {}
            None if array => differences.push(format!(
                "map `{name}`: key hex:{} expected zeroes, got hex:{}",
                hex(key),
                hex(value)
            )),
            None => differences.push(format!(
                "map `{name}`: key hex:{} not expected, got hex:{}",
                hex(key),
                hex(value)
            )),
        }
    }
    for (key, value) in want {
        if !entries.iter().any(|(k, _)| k == key) {
            differences.push(format!(
                "map `{name}`: key hex:{} expected hex:{}, got no entry",
                hex(key),
                hex(value)
            ));
        }
    }
}
