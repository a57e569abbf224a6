//! The general helpers' host implementations against `docs/general-helpers-abi.md`: each row calls
//! a helper through the VM's entry (`helpers::dispatch`), with buffers on a stack the
//! run knows, and checks r0, the memory it wrote and what it recorded.

use super::dispatch as call_from_vm;
use super::*;

use super::session::{self, Arg, Lent, Recorded};
use crate::map_store::{BPF_EXIST, MapDefinition, MapType, Maps};

/// A register: the address of stack byte `n`, a number, a map's handle, the context.
#[derive(Clone, Copy)]
enum R {
    At(usize),
    N(u64),
    Map(usize),
    Ctx,
}

/// A negative result as r0 carries it (sign-extended to 64 bits).
fn neg(v: i64) -> u64 {
    v as u64
}

struct Call {
    r0: u64,
    stack: Vec<u8>,
    recorded: Recorded,
    maps: Maps,
}

/// Calls `name` at `section`'s hook with `regs`, on a 64-byte stack holding
/// `stack`, lending `maps` and `env`.
fn call_at(
    section: &str,
    name: &str,
    stack: &[u8],
    regs: &[R],
    maps: Maps,
    env: Environment,
) -> Call {
    let (hook, attach) = nethooks_obj::hook_for_section(section).unwrap();
    let context = vec![0u8; 64];
    let mut memory = vec![0u8; 64];
    memory[..stack.len()].copy_from_slice(stack);
    let base = memory.as_ptr() as u64;
    let mut r = [0u64; 5];
    for (slot, reg) in r.iter_mut().zip(regs) {
        *slot = match *reg {
            R::At(n) => base + n as u64,
            R::N(v) => v,
            R::Map(i) => maps.handle(i).unwrap(),
            R::Ctx => context.as_ptr() as u64,
        };
    }
    let helper = Helper::by_name(name).unwrap();
    let lent = Lent {
        maps,
        host: HostState::new(env),
        ..Lent::default()
    };
    let run = session::begin_vm(attach, Some(hook), &context, &[helper], lent);
    session::set_stack(base as usize..base as usize + memory.len());
    let r0 = call_from_vm(helper, r);
    let (recorded, lent) = run.finish();
    Call {
        r0,
        stack: memory,
        recorded,
        maps: lent.maps,
    }
}

fn call(name: &str, stack: &[u8], regs: &[R]) -> Call {
    call_at(
        "bind",
        name,
        stack,
        regs,
        Maps::default(),
        Environment::default(),
    )
}

fn r0_of(name: &str, stack: &[u8], regs: &[R]) -> u64 {
    let c = call(name, stack, regs);
    assert_eq!(c.recorded.faults, Vec::<String>::new(), "{name}");
    c.r0
}

/// Stands for the address of stack byte 1 in an expected r0.
const THE_POINTER: u64 = 0x5EED_0000_0000_0001;

#[test]
fn memory_helpers_return_what_the_facts_file_says() {
    use R::*;
    /// rule, helper, stack, registers, r0, stack bytes after
    type Row<'a> = (&'a str, &'a str, &'a [u8], &'a [R], u64, &'a [u8]);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("5.6 memcpy_s copies source_size bytes", "bpf_memcpy_s",
            b"........abcd", &[At(0), N(8), At(8), N(4)], 0, b"abcd....abcd"),
        ("5.6 memcpy_s: source_size > destination_size -> -22", "bpf_memcpy_s",
            b"........abcd", &[At(0), N(2), At(8), N(4)], neg(-22), b"........abcd"),
        ("5.6 memmove_s handles overlap", "bpf_memmove_s",
            b"abcdef", &[At(2), N(4), At(0), N(4)], 0, b"ababcd"),
        ("5.6 memmove_s: source_size > destination_size -> -22", "bpf_memmove_s",
            b"abcdef", &[At(2), N(3), At(0), N(4)], neg(-22), b"abcdef"),
        ("5.6 memcmp_s: first smaller -> -1", "bpf_memcmp_s",
            b"abcabd", &[At(0), N(3), At(3), N(3)], neg(-1), b"abcabd"),
        ("5.6 memcmp_s: equal -> 0", "bpf_memcmp_s",
            b"abcabc", &[At(0), N(3), At(3), N(3)], 0, b"abcabc"),
        ("5.6 memcmp_s: larger -> 1", "bpf_memcmp_s",
            b"b.a", &[At(0), N(1), At(2), N(1)], 1, b"b.a"),
        ("5.6 memcmp_s: equal prefix, shorter is smaller", "bpf_memcmp_s",
            b"ab.abc", &[At(0), N(2), At(3), N(3)], neg(-1), b"ab.abc"),
        ("5.6 memset fills and returns the pointer", "bpf_memset",
            b"......", &[At(1), N(4), N(0x17a)], THE_POINTER, b".zzzz."),
        ("5.6 strnlen_s: length within str_size", "bpf_strnlen_s",
            b"abc\0ef", &[At(0), N(6)], 3, b"abc\0ef"),
        ("5.6 strnlen_s: str_size when no NUL", "bpf_strnlen_s",
            b"abcdef", &[At(0), N(4)], 4, b"abcdef"),
        ("5.6 strnlen_s: NULL -> 0", "bpf_strnlen_s", b"", &[N(0), N(8)], 0, b""),
        ("5.6 strnlen_s: size 0 -> 0", "bpf_strnlen_s", b"abc", &[At(0), N(0)], 0, b"abc"),
        ("5.6 strncpy_s copies at most count, terminates, zero-fills", "bpf_strncpy_s",
            b"xxxxxxxxalphabet", &[At(0), N(8), At(8), N(3)], 0, b"alp\0\0\0\0\0alph"),
        ("5.6 strncpy_s truncation -> STATUS_BUFFER_OVERFLOW", "bpf_strncpy_s",
            b"xxxxxxxxalphabet", &[At(0), N(4), At(8), N(8)], neg(0x8000_0005u32 as i32 as i64), b"alp\0xxxxalph"),
        ("5.6 strncat_s appends after the NUL", "bpf_strncat_s",
            b"ab\0xxxxxcd\0", &[At(0), N(8), At(8), N(5)], 0, b"abcd\0\0\0\0cd\0"),
    ];
    for (rule, name, stack, regs, r0, after) in rows {
        let c = call(name, stack, regs);
        assert_eq!(c.recorded.faults, Vec::<String>::new(), "{rule}");
        let r0 = if *r0 == THE_POINTER {
            c.stack.as_ptr() as u64 + 1
        } else {
            *r0
        };
        assert_eq!(c.r0, r0, "{rule}: r0");
        assert_eq!(&c.stack[..after.len()], *after, "{rule}: memory");
    }
}

#[test]
fn the_strings_sample_gives_alphaalfa() {
    // 5.6: copy "alpha" (count 6) into a 20-byte buffer, append "alfa" (count 5).
    let mut stack = vec![b'#'; 20];
    stack.extend_from_slice(b"alpha\0alfa\0");
    let copied = call(
        "bpf_strncpy_s",
        &stack,
        &[R::At(0), R::N(20), R::At(20), R::N(6)],
    );
    assert_eq!(copied.r0, 0);
    let appended = call(
        "bpf_strncat_s",
        &copied.stack,
        &[R::At(0), R::N(20), R::At(26), R::N(5)],
    );
    assert_eq!(appended.r0, 0);
    assert_eq!(&appended.stack[..20], b"alphaalfa\0\0\0\0\0\0\0\0\0\0\0");
}

#[test]
fn csum_diff_adds_to_and_complements_from() {
    use R::*;
    let words = [1u8, 2, 3, 4];
    let rows: &[(&str, &[R], u64)] = &[
        (
            "to only: 0x0201 + 0x0403",
            &[N(0), N(0), At(0), N(4), N(0)],
            0x0604,
        ),
        (
            "from only: !0x0201 + !0x0403",
            &[At(0), N(4), N(0), N(0), N(0)],
            0xfdfe + 0xfbfc,
        ),
        ("seed added", &[N(0), N(0), At(0), N(4), N(0x10)], 0x0614),
        (
            "size not a multiple of 4 -> -22",
            &[N(0), N(0), At(0), N(3), N(0)],
            neg(-22),
        ),
        (
            "a negative sum -> -22",
            &[N(0), N(0), At(0), N(4), N(0x8000_0000)],
            neg(-22),
        ),
    ];
    for (rule, regs, r0) in rows {
        assert_eq!(r0_of("bpf_csum_diff", &words, regs), *r0, "{rule}");
    }
}

#[test]
fn trace_printk_formats_by_the_core_rules() {
    // (format bytes without NUL, arguments, line or None for -1)
    #[rustfmt::skip]
    let rows: &[(&str, &[u64], Option<&str>)] = &[
        ("Hello, world", &[], Some("Hello, world")),
        ("Hello, world\n", &[], Some("Hello, world")),
        ("BAD5", &[1], None),
        ("BAD6 %u", &[], None),
        ("100%% done", &[], Some("100% done")),
        ("%d %i", &[0xFFFF_FFFF, 7], Some("-1 7")),
        ("%u %x", &[0x1_0000_00ff, 0x1_0000_00ff], Some("255 ff")),
        ("%ld %lu %lx", &[0xFFFF_FFFF, 5, 0xABC], Some("-1 5 abc")),
        ("%lld %llu %llx", &[u64::MAX, u64::MAX, 0x1_0000_00ff], Some("-1 18446744073709551615 1000000ff")),
        ("%s", &[0], None),
        ("%c", &[0], None),
        ("%p", &[0], None),
        ("%5d", &[1], None),
        ("%ll", &[1], None),
        ("trailing %", &[], None),
    ];
    for (fmt, args, line) in rows {
        let mut bytes = fmt.as_bytes().to_vec();
        bytes.push(0);
        assert_eq!(printk::format(&bytes, args).as_deref(), *line, "{fmt:?}");
    }
    // Through the helper: the length, the line captured; a size below 2 -> -1.
    let c = call(
        "bpf_trace_printk3",
        b"n=%u\0",
        &[R::At(0), R::N(5), R::N(42)],
    );
    assert_eq!((c.r0, c.recorded.printk), (4, vec!["n=42".to_owned()]));
    assert_eq!(
        r0_of("bpf_trace_printk2", b"x", &[R::At(0), R::N(1)]),
        neg(-1)
    );
}

#[test]
fn the_environment_comes_from_the_settings() {
    let env = Environment {
        seed: 0,
        clock_ns: 1_000_050,
        clock_step_ns: 2_000_000,
        suspended_ns: 3_000_000,
        pid_tgid: 0x1234_0000_5678,
        logon_id: 77,
        is_admin: 1,
        socket_cookie: 99,
        process_start_key: 5,
        thread_create_time: -3,
        ..Environment::default()
    };
    let at = |section: &str, name: &str| {
        let c = call_at(section, name, &[], &[R::Ctx], Maps::default(), env);
        assert_eq!(c.recorded.faults, Vec::<String>::new(), "{name}");
        c.r0
    };
    let rows: &[(&str, &str, u64)] = &[
        ("bind", "bpf_get_prandom_u32", 0xe220_a839),
        ("bind", "bpf_ktime_get_ns", 1_000_000),
        ("bind", "bpf_ktime_get_boot_ns", 4_000_000),
        ("bind", "bpf_ktime_get_ms", 1),
        ("bind", "bpf_ktime_get_boot_ms", 4),
        ("bind", "bpf_get_smp_processor_id", 0),
        ("bind", "bpf_get_current_pid_tgid", 0x1234_0000_5678),
        ("bind", "bpf_get_current_process_start_key", 5),
        ("bind", "bpf_get_current_logon_id", 77),
        ("sockops", "bpf_get_socket_cookie", 99),
        ("bind", "bpf_get_current_thread_create_time", neg(-3)),
        // 5.6: the general implementation of is_current_admin returns -1; sock_addr overrides it.
        ("bind", "bpf_is_current_admin", neg(-1)),
        ("cgroup/connect4", "bpf_is_current_admin", 1),
    ];
    for (section, name, r0) in rows {
        assert_eq!(at(section, name), *r0, "{name} at {section}");
    }
}

#[test]
fn hook_helpers_answer_per_attach_type_and_from_the_settings() {
    use R::*;
    let env = Environment {
        socket_cookie: 77,
        flow_id: Some(0x42),
        interface_type: Some(6),
        tunnel_type: Some(14),
        next_hop_interface_luid: Some(9),
        sub_interface_index: Some(3),
        ..Environment::default()
    };
    let at = |section: &str, name: &str, regs: &[R]| {
        let c = call_at(section, name, &[1, 2, 3, 4], regs, Maps::default(), env);
        assert_eq!(
            c.recorded.faults,
            Vec::<String>::new(),
            "{name} at {section}"
        );
        c
    };
    let redirect: &[R] = &[Ctx, At(0), N(4)];
    let rows: &[(&str, &str, &[R], u64)] = &[
        ("sockops", "bpf_sock_ops_get_flow_id", &[Ctx], 0x42),
        ("cgroup/bind4", "bpf_get_socket_cookie", &[Ctx], 0),
        ("cgroup/bind6", "bpf_get_socket_cookie", &[Ctx], 0),
        ("cgroup/connect4", "bpf_get_socket_cookie", &[Ctx], 77),
        (
            "cgroup/connect_authorization6",
            "bpf_get_socket_cookie",
            &[Ctx],
            77,
        ),
        (
            "cgroup/connect4",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            0,
        ),
        (
            "cgroup/connect6",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            0,
        ),
        (
            "cgroup/bind4",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            neg(-1),
        ),
        (
            "cgroup/bind6",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            neg(-1),
        ),
        (
            "cgroup/connect_authorization4",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            neg(-1),
        ),
        (
            "cgroup/connect_authorization6",
            "bpf_sock_addr_set_redirect_context",
            redirect,
            neg(-1),
        ),
        (
            "cgroup/connect4",
            "bpf_sock_addr_get_network_context",
            &[Ctx, At(0), N(32)],
            neg(-1),
        ),
    ];
    for (section, name, regs, r0) in rows {
        assert_eq!(at(section, name, regs).r0, *r0, "{name} at {section}");
    }
    // version, interface type, tunnel type, (padding), next hop, sub-interface.
    let network = |version: u32, interface: u32, tunnel: u32, next_hop: u64, sub: u32| {
        let mut bytes = Vec::new();
        for word in [version, interface, tunnel, 0] {
            bytes.extend(word.to_le_bytes());
        }
        bytes.extend(next_hop.to_le_bytes());
        bytes.extend(sub.to_le_bytes());
        bytes.extend([0; 4]);
        bytes
    };
    let rows = [
        ("cgroup/bind4", network(1, 6, 14, 0, 0)),
        ("cgroup/bind6", network(1, 6, 14, 0, 0)),
        ("cgroup/connect_authorization4", network(1, 6, 14, 9, 3)),
        ("cgroup/recv_accept6", network(1, 6, 14, 9, 3)),
    ];
    for (section, expected) in rows {
        let c = at(
            section,
            "bpf_sock_addr_get_network_context",
            &[Ctx, At(0), N(32)],
        );
        assert_eq!((c.r0, &c.stack[..32]), (0, &expected[..]), "at {section}");
    }
}

#[test]
fn the_network_context_fills_what_the_buffer_holds() {
    use R::*;
    let env = Environment {
        interface_type: Some(6),
        ..Environment::default()
    };
    let at = |section: &str, size: u64| {
        let c = call_at(
            section,
            "bpf_sock_addr_get_network_context",
            &[0xAA; 64],
            &[Ctx, At(8), N(size)],
            Maps::default(),
            env,
        );
        (c.r0, c.stack)
    };
    // A buffer smaller than the struct gets what fits (an older, smaller version).
    let (r0, stack) = at("cgroup/connect_authorization4", 8);
    assert_eq!(r0, 0);
    assert_eq!(&stack[8..16], &[1, 0, 0, 0, 6, 0, 0, 0]);
    assert_eq!(&stack[16..24], &[0xAA; 8], "nothing past the buffer");
    // A larger one is zeroed whole, and the struct copied to its start.
    let (r0, stack) = at("cgroup/bind4", 40);
    assert_eq!(r0, 0);
    assert_eq!(&stack[8..16], &[1, 0, 0, 0, 6, 0, 0, 0]);
    assert_eq!(&stack[16..48], &[0; 32]);
    assert_eq!(&stack[48..56], &[0xAA; 8]);
    // At a hook without it the buffer is zeroed all the same, and the result is -1.
    let (r0, stack) = at("cgroup/connect4", 32);
    assert_eq!((r0, &stack[8..40]), (neg(-1), &[0; 32][..]));
    // No buffer: -1, nothing touched.
    let (r0, stack) = at("cgroup/connect_authorization4", 0);
    assert_eq!((r0, &stack[..]), (neg(-1), &[0xAA; 64][..]));
}

#[test]
fn the_network_context_defaults_follow_the_wfp_layer() {
    let mut ctx = ebpf_nethooks_bindings::bpf_sock_addr_t::default();
    // IfType 24 (loopback) in bits 48-63, as in a loopback interface's LUID.
    let luid = (24u64 << 48) | 0x1234;
    ctx.set_interface_luid(luid);
    let settings = Environment {
        next_hop_interface_luid: Some(9),
        sub_interface_index: Some(3),
        ..Environment::default()
    };
    let rows = [
        (
            "connect_authorization4",
            Environment::default(),
            (24, 0, luid, 0),
        ),
        ("recv_accept6", Environment::default(), (24, 0, luid, 0)),
        ("connect_authorization6", settings, (24, 0, 9, 3)),
        // No next hop or sub-interface at the bind and listen layers, set or not.
        ("bind4", settings, (24, 0, 0, 0)),
        ("listen6", settings, (24, 0, 0, 0)),
    ];
    for (attach, env, expected) in rows {
        let n = hooks::network_context_of(&ctx, attach, &env);
        let got = (
            n.interface_type,
            n.tunnel_type,
            n.next_hop_interface_luid,
            n.sub_interface_index,
        );
        assert_eq!((n.version, got), (1, expected), "at {attach}");
    }
}

#[path = "map_helper_tests.rs"]
mod map_helper_tests;
