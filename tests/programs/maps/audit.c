// An audit trail of connection events (legacy `maps` definitions): each event is
// written as a record to a ring buffer with bpf_ringbuf_output, stamped with the boot
// clock, the process and a random nonce; the last remote ports go into a queue that
// drops its oldest when full (BPF_EXIST); and the event is printed.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

typedef struct audit_record
{
    uint32_t op;
    uint32_t remote_ip4;
    uint32_t local_port;
    uint32_t remote_port;
    uint64_t pid_tgid;
    uint64_t time_ns;
    uint32_t nonce;
    uint32_t reserved;
} audit_record_t;

SEC("maps") struct bpf_map_def audit_log = {.type = BPF_MAP_TYPE_RINGBUF, .max_entries = 4096};

SEC("maps") struct bpf_map_def recent_ports = {
    .type = BPF_MAP_TYPE_QUEUE, .value_size = sizeof(uint32_t), .max_entries = 4};

SEC("sockops") int audit(bpf_sock_ops_t* ctx)
{
    audit_record_t record = {
        .op = ctx->op,
        .remote_ip4 = ctx->remote_ip4,
        .local_port = ctx->local_port,
        .remote_port = ctx->remote_port,
        .pid_tgid = bpf_get_current_pid_tgid(),
        .time_ns = bpf_ktime_get_boot_ns(),
        .nonce = bpf_get_prandom_u32(),
        .reserved = 0,
    };
    uint32_t port = ctx->remote_port;
    bpf_map_push_elem(&recent_ports, &port, BPF_EXIST);
    int written = bpf_ringbuf_output(&audit_log, &record, sizeof(record), 0);
    bpf_printk("op %u port %u written %d", record.op, port, written);
    return written;
}
