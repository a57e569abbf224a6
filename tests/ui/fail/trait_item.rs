use ebpf_nethooks::*;

trait Policy {
    #[bind_hook]
    fn program(ctx: &mut bind_md_t) -> bind_action_t;
}

fn main() {}
