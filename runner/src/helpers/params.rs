//! How the runner reads each argument register of a general helper: a
//! [`ParamKind`] from the verifier's argument kind that the spec gives each parameter
//! (`kind`, carried by the generated table `general::abi::HELPERS`), so that names
//! play no part:
//!
//! - `ctx`, `map` (and `map_of_programs`), `map_key` are the context, a map handle and
//!   a key; `map_value` is read when `const`, written otherwise;
//! - `readable_mem`, `readable_mem_or_null` and `writable_mem` are buffers whose size
//!   is the next parameter; a readable `const char*` that follows a writable `char*`
//!   buffer and its size is a string, read up to that size or its NUL;
//! - sizes and `anything` are integers.
//!
//! One runtime fact differs from the verifier's: [`RUNTIME_NULLABLE`].

use ebpf_nethooks_maps::helpers::HelperInfo;

/// How a helper reads one argument register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// `PTR_TO_MAP`: a map's handle, as an `lddw` of the map loads it.
    Map,
    /// `PTR_TO_CTX`: the program's own context.
    Context,
    /// `PTR_TO_MAP_KEY`: `key_size` bytes of the map in parameter 0.
    Key,
    /// `PTR_TO_MAP_VALUE` read: `value_size` bytes of the map in parameter 0.
    Value,
    /// `PTR_TO_MAP_VALUE` written: `value_size` bytes of the map in parameter 0.
    ValueOut,
    /// `PTR_TO_READABLE_MEM`: as many bytes as parameter `size` says.
    In {
        /// Index of the size parameter.
        size: usize,
    },
    /// `PTR_TO_READABLE_MEM_OR_NULL`: as [`ParamKind::In`], or NULL.
    InOrNull {
        /// Index of the size parameter.
        size: usize,
    },
    /// `PTR_TO_WRITABLE_MEM`: as many bytes as parameter `size` says.
    Out {
        /// Index of the size parameter.
        size: usize,
    },
    /// A NUL-terminated string, read up to parameter `count` bytes.
    Str {
        /// Index of the count parameter.
        count: usize,
    },
    /// A size, flags or any other integer.
    Int,
}

/// Buffers the verifier requires but the helper's implementation also takes as NULL
/// (`bpf_strnlen_s` returns 0 for NULL, `docs/general-helpers-abi.md` §5.6): (helper ID, parameter
/// index).
pub const RUNTIME_NULLABLE: [(i64, usize); 1] = [(29, 0)];

/// The kind of parameter `i` of `helper`.
pub fn kind(helper: &HelperInfo, i: usize) -> ParamKind {
    let param = &helper.params[i];
    let pointee = param.c_type.strip_suffix('*');
    let writable = pointee.is_some_and(|p| !p.starts_with("const "));
    let size = i + 1;
    match param.kind {
        "ctx" => ParamKind::Context,
        "map" | "map_of_programs" => ParamKind::Map,
        "map_key" => ParamKind::Key,
        "map_value" if writable => ParamKind::ValueOut,
        "map_value" => ParamKind::Value,
        "writable_mem" => ParamKind::Out { size },
        "readable_mem_or_null" => ParamKind::InOrNull { size },
        "readable_mem" if RUNTIME_NULLABLE.contains(&(helper.id, i)) => {
            ParamKind::InOrNull { size }
        }
        "readable_mem" if pointee == Some("const char") && copies_into_text(helper, i) => {
            ParamKind::Str { count: size }
        }
        "readable_mem" => ParamKind::In { size },
        _ => ParamKind::Int,
    }
}

/// Whether parameter `i` is the source of a string copy: a writable `char*` buffer
/// and its size come right before it.
fn copies_into_text(helper: &HelperInfo, i: usize) -> bool {
    i >= 2 && helper.params[i - 2].c_type == "char*" && helper.params[i - 2].kind == "writable_mem"
}

#[cfg(test)]
mod tests {
    use super::ParamKind::*;
    use super::*;
    use ebpf_nethooks_maps::helpers::{HELPERS, HelperInfo, ParamInfo, by_name};

    fn kinds(name: &str) -> Vec<ParamKind> {
        let helper = by_name(name).unwrap();
        (0..helper.params.len()).map(|i| kind(helper, i)).collect()
    }

    /// One row per verifier prototype shape of `docs/general-helpers-abi.md` §2.3.
    #[test]
    fn kinds_follow_the_verifier_prototypes() {
        let table: [(&str, &[ParamKind]); 12] = [
            ("bpf_map_update_elem", &[Map, Key, Value, Int]),
            ("bpf_map_pop_elem", &[Map, ValueOut]),
            ("bpf_tail_call", &[Context, Map, Int]),
            (
                "bpf_csum_diff",
                &[InOrNull { size: 1 }, Int, InOrNull { size: 3 }, Int, Int],
            ),
            ("bpf_ringbuf_output", &[Map, In { size: 2 }, Int, Int]),
            ("bpf_trace_printk5", &[In { size: 1 }, Int, Int, Int, Int]),
            ("bpf_get_current_logon_id", &[Context]),
            ("bpf_memcpy_s", &[Out { size: 1 }, Int, In { size: 3 }, Int]),
            ("bpf_memset", &[Out { size: 1 }, Int, Int]),
            (
                "bpf_strncat_s",
                &[Out { size: 1 }, Int, Str { count: 3 }, Int],
            ),
            ("bpf_strnlen_s", &[InOrNull { size: 1 }, Int]),
            (
                "bpf_perf_event_output",
                &[Context, Map, Int, In { size: 4 }, Int],
            ),
        ];
        for (name, expected) in table {
            assert_eq!(kinds(name), expected, "{name}");
        }
    }

    /// Renaming parameters changes no kind: only the spec's kinds and C types count.
    #[test]
    fn kinds_do_not_depend_on_parameter_names() {
        for helper in HELPERS {
            let renamed: Vec<ParamInfo> = (helper.params.iter())
                .map(|p| ParamInfo {
                    name: "renamed",
                    ..*p
                })
                .collect();
            let leaked: &'static [ParamInfo] = Vec::leak(renamed);
            let copy = HelperInfo {
                params: leaked,
                ..*helper
            };
            for i in 0..helper.params.len() {
                assert_eq!(kind(&copy, i), kind(helper, i), "{} {i}", helper.name);
            }
        }
    }

    #[test]
    fn every_buffer_size_names_an_integer_and_map_operands_follow_a_map() {
        for helper in HELPERS {
            let all: Vec<ParamKind> = (0..helper.params.len()).map(|i| kind(helper, i)).collect();
            if all.iter().any(|k| matches!(k, Key | Value | ValueOut)) {
                assert_eq!(all[0], Map, "{}", helper.name);
            }
            for k in &all {
                if let In { size } | InOrNull { size } | Out { size } | Str { count: size } = *k {
                    assert_eq!(all.get(size), Some(&Int), "{}", helper.name);
                }
            }
        }
        for (id, param) in RUNTIME_NULLABLE {
            let helper = HELPERS.iter().find(|h| h.id == id).unwrap();
            assert_eq!(helper.params[param].kind, "readable_mem", "{}", helper.name);
        }
    }
}
