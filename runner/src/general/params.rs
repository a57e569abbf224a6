//! How the runner reads each argument register of a general helper: a
//! [`ParamKind`] derived from the generated table (`general::abi::HELPERS`), which
//! gives every parameter's name and C type but not what the verifier knows about it
//! (facts 2.3). One small mapping instead of a second table:
//!
//! - an integer type (no `*`) is [`ParamKind::Int`];
//! - `ctx` is the program's context; `key` a map key; `value` a map value (read when
//!   `const`, written otherwise); a parameter named in [`MAP_PARAMS`] a map handle;
//! - any other pointer is a buffer whose size is the next parameter: a string when
//!   that parameter is `count`, else read (`const`) or written (not `const`); NULL is
//!   allowed only for the parameters listed in [`NULLABLE`].

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

/// Pointer parameters that are map handles (`PTR_TO_MAP`, `PTR_TO_MAP_OF_PROGRAMS`).
pub const MAP_PARAMS: [&str; 4] = ["map", "prog_array_map", "ring_buffer", "perf_event_array"];

/// Buffers that may be NULL (`PTR_TO_READABLE_MEM_OR_NULL`; `bpf_strnlen_s` returns 0
/// for NULL, facts 5.6): (helper, parameter).
pub const NULLABLE: [(&str, &str); 3] = [
    ("bpf_csum_diff", "from"),
    ("bpf_csum_diff", "to"),
    ("bpf_strnlen_s", "str"),
];

/// The kind of parameter `i` of `helper`.
pub fn kind(helper: &HelperInfo, i: usize) -> ParamKind {
    let param = &helper.params[i];
    let Some(pointee) = param.c_type.strip_suffix('*') else {
        return ParamKind::Int;
    };
    let writable = !pointee.starts_with("const ");
    match param.name {
        "ctx" => ParamKind::Context,
        "key" => ParamKind::Key,
        "value" if writable => ParamKind::ValueOut,
        "value" => ParamKind::Value,
        name if MAP_PARAMS.contains(&name) => ParamKind::Map,
        name => {
            let size = i + 1;
            if helper.params.get(size).is_some_and(|p| p.name == "count") {
                ParamKind::Str { count: size }
            } else if writable {
                ParamKind::Out { size }
            } else if NULLABLE.contains(&(helper.name, name)) {
                ParamKind::InOrNull { size }
            } else {
                ParamKind::In { size }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ParamKind::*;
    use super::*;
    use ebpf_nethooks_maps::helpers::{HELPERS, by_name};

    fn kinds(name: &str) -> Vec<ParamKind> {
        let helper = by_name(name).unwrap();
        (0..helper.params.len()).map(|i| kind(helper, i)).collect()
    }

    /// One row per verifier prototype shape of facts 2.3.
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
        for (helper, param) in NULLABLE {
            let helper = by_name(helper).unwrap();
            assert!(helper.params.iter().any(|p| p.name == param));
        }
    }
}
