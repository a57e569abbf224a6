//! The general helpers of eBPF for Windows (`bpf_helper_defs.h`): their IDs, names,
//! return types and parameters, in [`GENERAL_HELPERS`], written from the facts file
//! (`general-helpers-abi.md`, section 2.1, prototypes; 2.3, argument kinds), and each
//! ID as a constant ([`BPF_FUNC_map_lookup_elem`]...), which the facade's maps call
//! on `target_arch = "bpf"`.
//!
//! **A stand-in.** This table stands in for the bindings' table of general helpers
//! until the second spec (`spec/bpf_helpers.toml`) lands and the code generator emits
//! their IDs and prototypes into `ebpf_nethooks_bindings::abi`; it must then be
//! replaced by that table. Until then it is the only place that knows a general
//! helper's ID: the runner (`nethooks-run`, which serves each helper by name from
//! here) and the facade (`ebpf_nethooks::maps`) both take them from here.
//!
//! Each parameter's [`ParamKind`] says how the runner reads the register: a map
//! handle, the program's context, a key or value of the map's size, a buffer whose
//! size is another parameter, a string, or an integer.

/// Declares each helper ID once, as a `u32` constant named as its enumerator.
macro_rules! helper_ids {
    ($($name:ident = $id:literal,)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "`: the ID a `call` instruction names.")]
            #[allow(non_upper_case_globals)]
            pub const $name: u32 = $id;
        )*
    };
}

helper_ids! {
    BPF_FUNC_map_lookup_elem = 1,
    BPF_FUNC_map_update_elem = 2,
    BPF_FUNC_map_delete_elem = 3,
    BPF_FUNC_map_lookup_and_delete_elem = 4,
    BPF_FUNC_tail_call = 5,
    BPF_FUNC_get_prandom_u32 = 6,
    BPF_FUNC_ktime_get_boot_ns = 7,
    BPF_FUNC_get_smp_processor_id = 8,
    BPF_FUNC_ktime_get_ns = 9,
    BPF_FUNC_csum_diff = 10,
    BPF_FUNC_ringbuf_output = 11,
    BPF_FUNC_trace_printk2 = 12,
    BPF_FUNC_trace_printk3 = 13,
    BPF_FUNC_trace_printk4 = 14,
    BPF_FUNC_trace_printk5 = 15,
    BPF_FUNC_map_push_elem = 16,
    BPF_FUNC_map_pop_elem = 17,
    BPF_FUNC_map_peek_elem = 18,
    BPF_FUNC_get_current_pid_tgid = 19,
    BPF_FUNC_get_current_logon_id = 20,
    BPF_FUNC_is_current_admin = 21,
    BPF_FUNC_memcpy_s = 22,
    BPF_FUNC_memcmp_s = 23,
    BPF_FUNC_memset = 24,
    BPF_FUNC_memmove_s = 25,
    BPF_FUNC_get_socket_cookie = 26,
    BPF_FUNC_strncpy_s = 27,
    BPF_FUNC_strncat_s = 28,
    BPF_FUNC_strnlen_s = 29,
    BPF_FUNC_ktime_get_boot_ms = 30,
    BPF_FUNC_ktime_get_ms = 31,
    BPF_FUNC_perf_event_output = 32,
    BPF_FUNC_get_current_process_start_key = 33,
    BPF_FUNC_get_current_thread_create_time = 34,
}

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

/// One parameter, as `bpf_helper_defs.h` declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneralParam {
    /// The parameter's name.
    pub name: &'static str,
    /// C spelling of its type.
    pub c_type: &'static str,
    /// How the register is read.
    pub kind: ParamKind,
}

/// One general helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneralHelper {
    /// The `ebpf_helper_id_t` value a `call` instruction names.
    pub id: u32,
    /// The enumerator (`BPF_FUNC_map_lookup_elem`).
    pub id_name: &'static str,
    /// The helper's name (`bpf_map_lookup_elem`).
    pub name: &'static str,
    /// C spelling of the return type.
    pub returns: &'static str,
    /// Its parameters, in order.
    pub params: &'static [GeneralParam],
}

impl GeneralHelper {
    /// Whether r0 carries a 32-bit `int` (sign-extended to 64 bits, facts 2.4).
    pub fn returns_int(&self) -> bool {
        matches!(self.returns, "int" | "int32_t")
    }
}

const fn p(name: &'static str, c_type: &'static str, kind: ParamKind) -> GeneralParam {
    GeneralParam { name, c_type, kind }
}

const fn h(
    id: u32,
    id_name: &'static str,
    name: &'static str,
    returns: &'static str,
    params: &'static [GeneralParam],
) -> GeneralHelper {
    GeneralHelper {
        id,
        id_name,
        name,
        returns,
        params,
    }
}

use ParamKind::*;

const MAP: GeneralParam = p("map", "void*", Map);
const KEY: GeneralParam = p("key", "const void*", Key);
const CTX: GeneralParam = p("ctx", "const void*", Context);
const FMT: GeneralParam = p("fmt", "const char*", In { size: 1 });
const FMT_SIZE: GeneralParam = p("fmt_size", "uint32_t", Int);
const ARG3: GeneralParam = p("arg3", "uint64_t", Int);
const ARG4: GeneralParam = p("arg4", "uint64_t", Int);
const ARG5: GeneralParam = p("arg5", "uint64_t", Int);
const COPY: [GeneralParam; 4] = [
    p("destination", "void*", Out { size: 1 }),
    p("destination_size", "size_t", Int),
    p("source", "const void*", In { size: 3 }),
    p("source_size", "size_t", Int),
];
const STRING_COPY: [GeneralParam; 4] = [
    p("dest", "char*", Out { size: 1 }),
    p("dest_size", "size_t", Int),
    p("src", "const char*", Str { count: 3 }),
    p("count", "size_t", Int),
];

/// Every general helper, in ID order 1..34 (facts 2.1: "There is no ID 0 and no gap").
#[rustfmt::skip]
pub const GENERAL_HELPERS: [GeneralHelper; 34] = [
    h(BPF_FUNC_map_lookup_elem, "BPF_FUNC_map_lookup_elem", "bpf_map_lookup_elem", "void*", &[MAP, KEY]),
    h(BPF_FUNC_map_update_elem, "BPF_FUNC_map_update_elem", "bpf_map_update_elem", "int64_t",
        &[MAP, KEY, p("value", "const void*", Value), p("flags", "uint64_t", Int)]),
    h(BPF_FUNC_map_delete_elem, "BPF_FUNC_map_delete_elem", "bpf_map_delete_elem", "int64_t", &[MAP, KEY]),
    h(BPF_FUNC_map_lookup_and_delete_elem, "BPF_FUNC_map_lookup_and_delete_elem", "bpf_map_lookup_and_delete_elem", "void*", &[MAP, KEY]),
    h(BPF_FUNC_tail_call, "BPF_FUNC_tail_call", "bpf_tail_call", "int64_t",
        &[CTX, p("prog_array_map", "const void*", Map), p("index", "uint32_t", Int)]),
    h(BPF_FUNC_get_prandom_u32, "BPF_FUNC_get_prandom_u32", "bpf_get_prandom_u32", "uint32_t", &[]),
    h(BPF_FUNC_ktime_get_boot_ns, "BPF_FUNC_ktime_get_boot_ns", "bpf_ktime_get_boot_ns", "uint64_t", &[]),
    h(BPF_FUNC_get_smp_processor_id, "BPF_FUNC_get_smp_processor_id", "bpf_get_smp_processor_id", "uint64_t", &[]),
    h(BPF_FUNC_ktime_get_ns, "BPF_FUNC_ktime_get_ns", "bpf_ktime_get_ns", "uint64_t", &[]),
    h(BPF_FUNC_csum_diff, "BPF_FUNC_csum_diff", "bpf_csum_diff", "int", &[
        p("from", "const void*", InOrNull { size: 1 }), p("from_size", "int", Int),
        p("to", "const void*", InOrNull { size: 3 }), p("to_size", "int", Int),
        p("seed", "int", Int),
    ]),
    h(BPF_FUNC_ringbuf_output, "BPF_FUNC_ringbuf_output", "bpf_ringbuf_output", "int", &[
        p("ring_buffer", "void*", Map), p("data", "const void*", In { size: 2 }),
        p("size", "uint64_t", Int), p("flags", "uint64_t", Int),
    ]),
    h(BPF_FUNC_trace_printk2, "BPF_FUNC_trace_printk2", "bpf_trace_printk2", "long", &[FMT, FMT_SIZE]),
    h(BPF_FUNC_trace_printk3, "BPF_FUNC_trace_printk3", "bpf_trace_printk3", "long", &[FMT, FMT_SIZE, ARG3]),
    h(BPF_FUNC_trace_printk4, "BPF_FUNC_trace_printk4", "bpf_trace_printk4", "long", &[FMT, FMT_SIZE, ARG3, ARG4]),
    h(BPF_FUNC_trace_printk5, "BPF_FUNC_trace_printk5", "bpf_trace_printk5", "long", &[FMT, FMT_SIZE, ARG3, ARG4, ARG5]),
    h(BPF_FUNC_map_push_elem, "BPF_FUNC_map_push_elem", "bpf_map_push_elem", "int64_t",
        &[MAP, p("value", "const void*", Value), p("flags", "uint64_t", Int)]),
    h(BPF_FUNC_map_pop_elem, "BPF_FUNC_map_pop_elem", "bpf_map_pop_elem", "int64_t", &[MAP, p("value", "void*", ValueOut)]),
    h(BPF_FUNC_map_peek_elem, "BPF_FUNC_map_peek_elem", "bpf_map_peek_elem", "int64_t", &[MAP, p("value", "void*", ValueOut)]),
    h(BPF_FUNC_get_current_pid_tgid, "BPF_FUNC_get_current_pid_tgid", "bpf_get_current_pid_tgid", "uint64_t", &[]),
    h(BPF_FUNC_get_current_logon_id, "BPF_FUNC_get_current_logon_id", "bpf_get_current_logon_id", "uint64_t", &[CTX]),
    h(BPF_FUNC_is_current_admin, "BPF_FUNC_is_current_admin", "bpf_is_current_admin", "int32_t", &[CTX]),
    h(BPF_FUNC_memcpy_s, "BPF_FUNC_memcpy_s", "bpf_memcpy_s", "long", &COPY),
    h(BPF_FUNC_memcmp_s, "BPF_FUNC_memcmp_s", "bpf_memcmp_s", "int", &[
        p("memory1", "const void*", In { size: 1 }), p("memory1_size", "size_t", Int),
        p("memory2", "const void*", In { size: 3 }), p("memory2_size", "size_t", Int),
    ]),
    h(BPF_FUNC_memset, "BPF_FUNC_memset", "bpf_memset", "long", &[
        p("memory", "void*", Out { size: 1 }), p("size", "size_t", Int), p("value", "int", Int),
    ]),
    h(BPF_FUNC_memmove_s, "BPF_FUNC_memmove_s", "bpf_memmove_s", "long", &COPY),
    h(BPF_FUNC_get_socket_cookie, "BPF_FUNC_get_socket_cookie", "bpf_get_socket_cookie", "int64_t", &[CTX]),
    h(BPF_FUNC_strncpy_s, "BPF_FUNC_strncpy_s", "bpf_strncpy_s", "int", &STRING_COPY),
    h(BPF_FUNC_strncat_s, "BPF_FUNC_strncat_s", "bpf_strncat_s", "int", &STRING_COPY),
    h(BPF_FUNC_strnlen_s, "BPF_FUNC_strnlen_s", "bpf_strnlen_s", "size_t", &[
        p("str", "const char*", InOrNull { size: 1 }), p("str_size", "size_t", Int),
    ]),
    h(BPF_FUNC_ktime_get_boot_ms, "BPF_FUNC_ktime_get_boot_ms", "bpf_ktime_get_boot_ms", "uint64_t", &[]),
    h(BPF_FUNC_ktime_get_ms, "BPF_FUNC_ktime_get_ms", "bpf_ktime_get_ms", "uint64_t", &[]),
    h(BPF_FUNC_perf_event_output, "BPF_FUNC_perf_event_output", "bpf_perf_event_output", "int", &[
        CTX, p("perf_event_array", "void*", Map), p("flags", "uint64_t", Int),
        p("data", "const void*", In { size: 4 }), p("size", "uint64_t", Int),
    ]),
    h(BPF_FUNC_get_current_process_start_key, "BPF_FUNC_get_current_process_start_key", "bpf_get_current_process_start_key", "uint64_t", &[]),
    h(BPF_FUNC_get_current_thread_create_time, "BPF_FUNC_get_current_thread_create_time", "bpf_get_current_thread_create_time", "int64_t", &[]),
];

/// The general helper a `call` instruction with immediate `id` names.
pub fn by_id(id: u32) -> Option<&'static GeneralHelper> {
    GENERAL_HELPERS.iter().find(|h| h.id == id)
}

/// The general helper named `name` (`bpf_map_lookup_elem`).
pub fn by_name(name: &str) -> Option<&'static GeneralHelper> {
    GENERAL_HELPERS.iter().find(|h| h.name == name)
}

#[cfg(test)]
mod table_tests {
    use super::*;

    #[test]
    fn ids_run_from_1_to_34_without_a_gap_and_names_follow_the_enumerators() {
        for (i, helper) in GENERAL_HELPERS.iter().enumerate() {
            assert_eq!(helper.id as usize, i + 1, "{}", helper.name);
            // 1.3: "`<id>` is the name without the `bpf_` prefix".
            assert_eq!(
                helper.id_name.strip_prefix("BPF_FUNC_"),
                helper.name.strip_prefix("bpf_"),
                "{}",
                helper.name
            );
        }
    }

    #[test]
    fn buffer_sizes_name_an_integer_parameter() {
        for helper in &GENERAL_HELPERS {
            let needs_map = helper
                .params
                .iter()
                .any(|p| matches!(p.kind, Key | Value | ValueOut));
            if needs_map {
                assert_eq!(helper.params[0].kind, Map, "{}", helper.name);
            }
            for param in helper.params {
                if let In { size } | InOrNull { size } | Out { size } | Str { count: size } =
                    param.kind
                {
                    assert_eq!(helper.params[size].kind, Int, "{}", helper.name);
                }
            }
        }
    }
}
