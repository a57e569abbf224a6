//! The stable core of `docs/efw-releases.md` ("The stable core: identical in every release"):
//! what every release's `ebpf_nethooks.h` declares, with the same layout and values.
//! Layouts are checked on each compiler's target (x86-64 and BPF; both LP64).

use super::facts::{Fact, NEWEST, RC2};

pub const CORE: &[Fact] = &[
    // `EBPF_HELPER(return_type, name, args)` defines `typedef return_type(*const name##_t)
    // args`, token for token as `bpf_helpers.h` does (another definition would be a macro
    // redefinition, an error under -Werror).
    (
        RC2,
        NEWEST,
        "EBPF_HELPER(int, check_ebpf_helper, (int));
extern int (*const check_ebpf_helper_value)(int);
extern check_ebpf_helper_t check_ebpf_helper_value;",
    ),
    // `bind_operation_t`: values, size 4, unsigned.
    (
        RC2,
        NEWEST,
        "CHECK(BIND_OPERATION_BIND == 0);
CHECK(BIND_OPERATION_POST_BIND == 1);
CHECK(BIND_OPERATION_UNBIND == 2);
ENUM_TYPE(bind_operation_t, 4);
CHECK(SAME_TYPE(enum _bind_operation, bind_operation_t));",
    ),
    // `bind_md_t`: size 56, align 8, and its member table.
    (
        RC2,
        NEWEST,
        "LAYOUT(bind_md_t, 56, 8);
CHECK(SAME_TYPE(struct _bind_md, bind_md_t));
MEMBER(bind_md_t, app_id_start, uint8_t*, 0, 8);
MEMBER(bind_md_t, app_id_end, uint8_t*, 8, 8);
MEMBER(bind_md_t, process_id, uint64_t, 16, 8);
MEMBER(bind_md_t, socket_address, uint8_t[16], 24, 16);
MEMBER(bind_md_t, socket_address_length, uint8_t, 40, 1);
MEMBER(bind_md_t, operation, bind_operation_t, 44, 4);
MEMBER(bind_md_t, protocol, uint8_t, 48, 1);",
    ),
    // `bind_hook_t`: `bind_action_t (bind_md_t*)`.
    (
        RC2,
        NEWEST,
        "HOOK(bind_hook_t, bind_action_t, (bind_md_t*));",
    ),
    // `bind_action_t`: DENY=1, REDIRECT=2 and the name BIND_PERMIT=0 in every release (an
    // enumerator, not a macro).
    (
        RC2,
        NEWEST,
        "CHECK(BIND_PERMIT == 0);
CHECK(BIND_DENY == 1);
CHECK(BIND_REDIRECT == 2);
ENUMERATOR_OF(BIND_PERMIT, bind_action_t);
ENUMERATOR_OF(BIND_DENY, bind_action_t);
ENUMERATOR_OF(BIND_REDIRECT, bind_action_t);
#ifdef BIND_PERMIT
#error BIND_PERMIT is an enumerator
#endif
CHECK(SAME_TYPE(enum _bind_action, bind_action_t));",
    ),
    // `ebpf_sock_addr_verdict_t`: values, size 4, unsigned.
    (
        RC2,
        NEWEST,
        "CHECK(BPF_SOCK_ADDR_VERDICT_REJECT == 0);
CHECK(BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT == 1);
CHECK(BPF_SOCK_ADDR_VERDICT_PROCEED_HARD == 2);
ENUM_TYPE(ebpf_sock_addr_verdict_t, 4);
CHECK(SAME_TYPE(enum _ebpf_sock_addr_verdict, ebpf_sock_addr_verdict_t));",
    ),
    // `bpf_sock_addr_t` (tag `bpf_sock_addr`): size 64, align 8, every member.
    (
        RC2,
        NEWEST,
        "LAYOUT(bpf_sock_addr_t, 64, 8);
CHECK(SAME_TYPE(struct bpf_sock_addr, bpf_sock_addr_t));
MEMBER(bpf_sock_addr_t, family, uint32_t, 0, 4);
MEMBER(bpf_sock_addr_t, msg_src_ip4, uint32_t, 4, 4);
MEMBER(bpf_sock_addr_t, msg_src_ip6, uint32_t[4], 4, 16);
MEMBER(bpf_sock_addr_t, msg_src_port, uint16_t, 20, 2);
MEMBER(bpf_sock_addr_t, user_ip4, uint32_t, 24, 4);
MEMBER(bpf_sock_addr_t, user_ip6, uint32_t[4], 24, 16);
MEMBER(bpf_sock_addr_t, user_port, uint16_t, 40, 2);
MEMBER(bpf_sock_addr_t, protocol, uint32_t, 44, 4);
MEMBER(bpf_sock_addr_t, compartment_id, uint32_t, 48, 4);
MEMBER(bpf_sock_addr_t, interface_luid, uint64_t, 56, 8);",
    ),
    // `SOCK_ADDR_EXT_HELPER_FN_BASE` 0xFFFF (int); `ebpf_sock_addr_helper_id_t`'s first two
    // IDs; get_current_pid_tgid is an ID only (no prototype, no macro, in any release).
    (
        RC2,
        NEWEST,
        "CHECK(SOCK_ADDR_EXT_HELPER_FN_BASE == 0xFFFF);
TYPE_OF_IS(SOCK_ADDR_EXT_HELPER_FN_BASE, int);
CHECK(BPF_FUNC_sock_addr_get_current_pid_tgid == 65536);
CHECK(BPF_FUNC_sock_addr_set_redirect_context == 65537);
ENUMERATOR_OF(BPF_FUNC_sock_addr_get_current_pid_tgid, ebpf_sock_addr_helper_id_t);
ENUMERATOR_OF(BPF_FUNC_sock_addr_set_redirect_context, ebpf_sock_addr_helper_id_t);
#ifdef bpf_sock_addr_get_current_pid_tgid
#error bpf_sock_addr_get_current_pid_tgid has no macro
#endif
ABSENT_TYPE(bpf_sock_addr_get_current_pid_tgid_t);",
    ),
    // `sock_addr_hook_t`: `ebpf_sock_addr_verdict_t (bpf_sock_addr_t*)`.
    (
        RC2,
        NEWEST,
        "HOOK(sock_addr_hook_t, ebpf_sock_addr_verdict_t, (bpf_sock_addr_t*));",
    ),
    // `bpf_sock_op_type_t`: values, size 4.
    (
        RC2,
        NEWEST,
        "CHECK(BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB == 0);
CHECK(BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB == 1);
CHECK(BPF_SOCK_OPS_CONNECTION_DELETED_CB == 2);
CHECK(sizeof(bpf_sock_op_type_t) == 4);
CHECK(SAME_TYPE(enum _bpf_sock_op_type, bpf_sock_op_type_t));",
    ),
    // `bpf_sock_ops_t`: size 64, align 8, every member (local_port u32, protocol u8).
    (
        RC2,
        NEWEST,
        "LAYOUT(bpf_sock_ops_t, 64, 8);
CHECK(SAME_TYPE(struct _bpf_sock_ops, bpf_sock_ops_t));
MEMBER(bpf_sock_ops_t, op, bpf_sock_op_type_t, 0, 4);
MEMBER(bpf_sock_ops_t, family, uint32_t, 4, 4);
MEMBER(bpf_sock_ops_t, local_ip4, uint32_t, 8, 4);
MEMBER(bpf_sock_ops_t, local_ip6, uint32_t[4], 8, 16);
MEMBER(bpf_sock_ops_t, local_port, uint32_t, 24, 4);
MEMBER(bpf_sock_ops_t, remote_ip4, uint32_t, 28, 4);
MEMBER(bpf_sock_ops_t, remote_ip6, uint32_t[4], 28, 16);
MEMBER(bpf_sock_ops_t, remote_port, uint32_t, 44, 4);
MEMBER(bpf_sock_ops_t, protocol, uint8_t, 48, 1);
MEMBER(bpf_sock_ops_t, compartment_id, uint32_t, 52, 4);
MEMBER(bpf_sock_ops_t, interface_luid, uint64_t, 56, 8);",
    ),
    // `sock_ops_hook_t`: `int (bpf_sock_ops_t*)`.
    (
        RC2,
        NEWEST,
        "HOOK(sock_ops_hook_t, int, (bpf_sock_ops_t*));",
    ),
];
