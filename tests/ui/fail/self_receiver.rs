use ebpf_nethooks::*;

struct Policy;

impl Policy {
    #[bind_hook]
    fn program(&mut self) -> bind_action_t {
        bind_action_t::BIND_DENY
    }
}

fn main() {
    let _ = Policy;
}
