//! One row of a differential table (a context, the verdict expected, the effect),
//! and the verdict and effect names the tables share.

use nethooks_run::Environment;

/// What a run must do besides returning its verdict.
#[derive(Debug, Clone, Copy)]
pub enum Effect {
    /// No helper call, no context write.
    Nothing,
    /// Exactly these helpers called, in order; no context write.
    Calls(&'static [&'static str]),
    /// Exactly one context member written, with these bytes after (hex); no helper call.
    Writes(&'static str, &'static str),
    /// One `bpf_sock_addr_set_redirect_context` call that stored these bytes (hex).
    Stores(&'static str),
}

/// One row: a context in `--ctx` syntax, the expected verdict's name, the effect,
/// and the host environment (`--setting`) of the run.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub ctx: &'static str,
    pub verdict: &'static str,
    pub effect: Effect,
    pub env: Environment,
}

/// A row in the default environment.
pub const fn case(ctx: &'static str, verdict: &'static str, effect: Effect) -> Case {
    case_in(Environment::DEFAULT, ctx, verdict, effect)
}

/// A row in the environment `env`.
pub const fn case_in(
    env: Environment,
    ctx: &'static str,
    verdict: &'static str,
    effect: Effect,
) -> Case {
    Case {
        ctx,
        verdict,
        effect,
        env,
    }
}

// The verdict names the tables expect (bind, then sock_addr), and the helper calls
// several policies make.
pub const DENY: &str = "BIND_DENY";
pub const REDIRECT: &str = "BIND_REDIRECT";
pub const PERMIT_SOFT: &str = "BIND_PERMIT_SOFT";
pub const PERMIT_HARD: &str = "BIND_PERMIT_HARD";
pub const V_REJECT: &str = "BPF_SOCK_ADDR_VERDICT_REJECT";
pub const V_SOFT: &str = "BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT";
pub const V_HARD: &str = "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD";
pub const NETWORK_CONTEXT: Effect = Effect::Calls(&["bpf_sock_addr_get_network_context"]);
pub const FLOW_ID: Effect = Effect::Calls(&["bpf_sock_ops_get_flow_id"]);
pub const BIND_HELPERS: Effect = Effect::Calls(&[
    "bpf_sock_addr_get_network_context",
    "bpf_get_socket_cookie",
    "bpf_sock_addr_set_redirect_context",
]);
