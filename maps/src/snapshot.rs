//! Copies of maps: [`Map::duplicate`] builds a map with the same definition and
//! contents in storage of its own, by replaying its state through the map
//! operations. The runner uses it to run the JIT from the state the checking
//! interpreter started from, and a cloned program gets maps of its own.

use alloc::vec::Vec;

use crate::Map;
use crate::types::{BPF_ANY, BPF_EXIST, MapType};

impl Map {
    /// An empty map of this definition with this map's contents: entries (in LRU
    /// recency order, so evictions stay the same), queue values, ring records.
    pub fn duplicate(&self) -> Map {
        // The definition was valid when this map was made, so it is now.
        let mut copy = match Map::new(self.definition().clone()) {
            Ok(map) => map,
            Err(_) => unreachable!("a map's own definition is valid"),
        };
        let definition = self.definition();
        match definition.map_type {
            MapType::QUEUE | MapType::STACK => {
                let mut values: Vec<Vec<u8>> = self.entries().into_iter().map(|(_, v)| v).collect();
                // `entries` lists pop order; push oldest first.
                if definition.map_type == MapType::STACK {
                    values.reverse();
                }
                for value in values {
                    let _ = copy.push(&value, BPF_EXIST);
                }
            }
            MapType::RINGBUF => {
                for record in self.records() {
                    let _ = copy.output(record, 0);
                }
            }
            _ => {
                let entries = self.entries();
                let recency = self.recency();
                let ordered: Vec<&(Vec<u8>, Vec<u8>)> = if recency.is_empty() {
                    entries.iter().collect()
                } else {
                    recency
                        .iter()
                        .filter_map(|k| {
                            let at = entries.binary_search_by(|(key, _)| key.cmp(k)).ok()?;
                            entries.get(at)
                        })
                        .collect()
                };
                for (key, value) in ordered {
                    let _ = copy.update(key, value, BPF_ANY);
                }
            }
        }
        copy
    }
}
