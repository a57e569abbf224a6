// A connect policy kept in a table (BTF `.maps`): rules keyed by destination address
// and port, looked up exactly, then for any port of the address, then for the port at
// any address, in a function of its own (a BPF-to-BPF call); the first rule found
// decides and counts the hit in its value, else the default verdict in `.rodata`
// decides. Decisions and rejects are counted in `.bss`; rejects are printed.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

// The address in network order (as `user_ip4`), the port in host order; 0 = any.
typedef struct policy_key
{
    uint32_t ip;
    uint32_t port;
} policy_key_t;

typedef struct policy_rule
{
    uint32_t verdict;
    uint32_t hits;
} policy_rule_t;

struct
{
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, policy_key_t);
    __type(value, policy_rule_t);
    __uint(max_entries, 64);
} policy SEC(".maps");

static const volatile uint32_t default_verdict = BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
static volatile uint64_t decisions;
static volatile uint64_t rejects;

// The rule for `ip`:`port`: exact, then the address's wildcard, then the port's.
static __attribute__((noinline)) policy_rule_t* find_rule(uint32_t ip, uint32_t port)
{
    policy_key_t key = {ip, port};
    policy_rule_t* rule = bpf_map_lookup_elem(&policy, &key);
    if (rule) {
        return rule;
    }
    key.port = 0;
    rule = bpf_map_lookup_elem(&policy, &key);
    if (rule) {
        return rule;
    }
    key.ip = 0;
    key.port = port;
    return bpf_map_lookup_elem(&policy, &key);
}

SEC("cgroup/connect4") int connect_policy(bpf_sock_addr_t* ctx)
{
    uint32_t port = __builtin_bswap16(ctx->user_port);
    policy_rule_t* rule = find_rule(ctx->user_ip4, port);
    uint32_t verdict = default_verdict;
    if (rule) {
        verdict = rule->verdict;
        rule->hits++;
    }
    decisions++;
    if (verdict == BPF_SOCK_ADDR_VERDICT_REJECT) {
        rejects++;
        bpf_printk("reject %x port %u", __builtin_bswap32(ctx->user_ip4), port);
    }
    return verdict;
}
