//! Why a map cannot be read from an object, created, or used as asked. A helper's
//! documented failure is not one of these: it is the negative `ebpf_result_t` that
//! the operation returns.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::types::{MAP_TYPES, MapType};

/// Why a map cannot be read, created or used as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    /// The object's map definitions cannot be read (`section`: `maps`, `.maps`, `.BTF`).
    Unreadable {
        /// The section.
        section: String,
        /// What is wrong.
        why: String,
    },
    /// A definition breaks a creation rule of `ebpf_map_create` (`docs/general-helpers-abi.md` §3.4) or a
    /// limit of the runner.
    BadDefinition {
        /// The map's name.
        map: String,
        /// The rule it breaks.
        why: String,
    },
    /// The runner does not emulate maps of this type.
    Unsupported {
        /// The map's name.
        map: String,
        /// Its type.
        map_type: MapType,
    },
    /// A key of `got` bytes for a map whose keys have `expected`.
    KeySize {
        /// The map's name.
        map: String,
        /// Its key size.
        expected: u32,
        /// The size given.
        got: usize,
    },
    /// A value of `got` bytes for a map whose values have `expected`.
    ValueSize {
        /// The map's name.
        map: String,
        /// Its value size.
        expected: u32,
        /// The size given.
        got: usize,
    },
    /// An operation that maps of this type do not have (a lookup in a ring buffer).
    Operation {
        /// The map's name.
        map: String,
        /// Its type.
        map_type: MapType,
        /// The operation asked for.
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

impl core::error::Error for MapError {}
