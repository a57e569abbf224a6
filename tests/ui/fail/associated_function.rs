// A hook on an associated function without `self`: the attribute cannot see the
// `impl`, so the error is rustc's, one, at the function's name.
use ebpf_nethooks::*;

pub struct Policies;

impl Policies {
    #[bind_hook]
    pub fn program(_ctx: &mut bind_md_t) -> bind_action_t {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

fn main() {}
