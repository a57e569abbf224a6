//! Why a map cannot be read from an object, created, or used as asked. A helper's
//! documented failure is not one of these: it is the negative `ebpf_result_t` that
//! the operation returns.

use std::fmt;

use super::types::{MAP_TYPES, MapType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    /// The object's map definitions cannot be read (`section`: `maps`, `.maps`, `.BTF`).
    Unreadable { section: String, why: String },
    /// A definition breaks a creation rule of `ebpf_map_create` (facts 3.4) or a
    /// limit of the runner.
    BadDefinition { map: String, why: String },
    /// The runner does not emulate maps of this type.
    Unsupported { map: String, map_type: MapType },
    /// A key of `got` bytes for a map whose keys have `expected`.
    KeySize {
        map: String,
        expected: u32,
        got: usize,
    },
    /// A value of `got` bytes for a map whose values have `expected`.
    ValueSize {
        map: String,
        expected: u32,
        got: usize,
    },
    /// An operation that maps of this type do not have (a lookup in a ring buffer).
    Operation {
        map: String,
        map_type: MapType,
        operation: &'static str,
    },
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::Unreadable { section, why } => {
                write!(f, "cannot read the map definitions in `{section}`: {why}")
            }
            MapError::BadDefinition { map, why } => write!(f, "map `{map}`: {why}"),
            MapError::Unsupported { map, map_type } => {
                let supported: Vec<String> = MAP_TYPES
                    .iter()
                    .filter(|t| t.supported)
                    .map(|t| format!("`{}`", t.name))
                    .collect();
                write!(
                    f,
                    "map `{map}` has type {map_type}, which the runner does not emulate; it emulates {}",
                    supported.join(", ")
                )
            }
            MapError::KeySize { map, expected, got } => write!(
                f,
                "a key of {got} bytes for map `{map}`, whose keys have {expected} bytes"
            ),
            MapError::ValueSize { map, expected, got } => write!(
                f,
                "a value of {got} bytes for map `{map}`, whose values have {expected} bytes"
            ),
            MapError::Operation {
                map,
                map_type,
                operation,
            } => write!(
                f,
                "map `{map}` has type {map_type}, which has no `{operation}`"
            ),
        }
    }
}

impl std::error::Error for MapError {}
