//! The host environment's settings ([`Environment`]) and where a loaded program's
//! clock and random generator are now ([`HostState`]): plain data, which the run's
//! session lends the environment helpers (`environment.rs`) and the program's state
//! keeps across runs.

/// `EBPF_NS_PER_FILETIME`: the clocks' granularity in nanoseconds.
const NS_PER_TICK: u64 = 100;

/// The settings of the host environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Environment {
    pub seed: u64,
    pub clock_ns: u64,
    pub clock_step_ns: u64,
    pub suspended_ns: u64,
    pub pid_tgid: u64,
    pub logon_id: u64,
    pub is_admin: i32,
    pub socket_cookie: u64,
    pub process_start_key: u64,
    pub thread_create_time: i64,
    /// `bpf_sock_ops_get_flow_id`'s answer; by default one derived from the context
    /// (`hooks::flow_id_of`).
    pub flow_id: Option<u64>,
    /// Fields `bpf_sock_addr_get_network_context` reports; by default derived from
    /// the context (`hooks::network_context_of`). At bind4/6 the next hop and the
    /// sub-interface are always 0, as netebpfext has none there.
    pub interface_type: Option<u32>,
    pub tunnel_type: Option<u32>,
    pub next_hop_interface_luid: Option<u64>,
    pub sub_interface_index: Option<u32>,
}

impl Default for Environment {
    fn default() -> Environment {
        Environment::DEFAULT
    }
}

impl Environment {
    /// The defaults, as a constant a table of test cases can start from
    /// (`Environment { tunnel_type: Some(14), ..Environment::DEFAULT }`).
    pub const DEFAULT: Environment = Environment {
        seed: 0,
        clock_ns: 1_000_000_000,
        clock_step_ns: 1_000,
        suspended_ns: 0,
        // Process 1000, thread 1004.
        pid_tgid: (1000 << 32) | 1004,
        // SYSTEM's logon ID.
        logon_id: 0x3e7,
        is_admin: 0,
        socket_cookie: 1,
        process_start_key: 1,
        // 2026-01-01 as a FILETIME.
        thread_create_time: 134_116_992_000_000_000,
        flow_id: None,
        interface_type: None,
        tunnel_type: None,
        next_hop_interface_luid: None,
        sub_interface_index: None,
    };
}

/// The environment and where its clock and random generator are now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostState {
    pub env: Environment,
    pub now_ns: u64,
    pub prng: u64,
}

impl Default for HostState {
    fn default() -> HostState {
        HostState::new(Environment::default())
    }
}

impl HostState {
    /// The state at the start: the clock at `clock_ns`, the generator at `seed`.
    pub fn new(env: Environment) -> HostState {
        HostState {
            env,
            now_ns: env.clock_ns,
            prng: env.seed,
        }
    }

    /// The next pseudo-random 32-bit number (SplitMix64's high half).
    pub fn next_random(&mut self) -> u32 {
        self.prng = self.prng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.prng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 32) as u32
    }

    /// Reads the clock in nanoseconds (with suspended time when `boot`), then
    /// advances it by a step.
    pub fn read_clock(&mut self, boot: bool) -> u64 {
        let now = self.now_ns;
        self.now_ns = now.wrapping_add(self.env.clock_step_ns);
        let value = if boot {
            now.wrapping_add(self.env.suspended_ns)
        } else {
            now
        };
        value / NS_PER_TICK * NS_PER_TICK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_advances_a_step_per_read_at_100_ns_granularity() {
        let mut state = HostState::new(Environment {
            clock_ns: 1_234_567,
            clock_step_ns: 250,
            suspended_ns: 1_000,
            ..Environment::default()
        });
        assert_eq!(state.read_clock(false), 1_234_500);
        assert_eq!(state.read_clock(false), 1_234_800);
        assert_eq!(state.read_clock(true), 1_236_000);
        assert_eq!(state.now_ns, 1_234_567 + 750);
    }

    #[test]
    fn the_generator_is_a_function_of_the_seed() {
        let draw = |seed| {
            let mut state = HostState::new(Environment {
                seed,
                ..Environment::default()
            });
            [
                state.next_random(),
                state.next_random(),
                state.next_random(),
            ]
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        // SplitMix64 from 0: its first output is 0xe220a8397b1dcdaf.
        assert_eq!(draw(0)[0], 0xe220_a839);
    }
}
