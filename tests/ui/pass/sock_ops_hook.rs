//! A sock_ops program in each form; the typed one calls the flow-id helper, which a
//! host test double answers.
use ebpf_nethooks::hooks::{Context, Sockops};
use ebpf_nethooks::*;

#[sock_ops_hook]
fn raw(ctx: &mut bpf_sock_ops_t) -> i32 {
    ctx.local_port() as i32
}

#[sock_ops_hook]
fn shared(ctx: &bpf_sock_ops_t) -> i32 {
    ctx.family() as i32
}

#[sock_ops_hook]
fn typed(mut ctx: Context<'_, Sockops>) -> i32 {
    ctx.bpf_sock_ops_get_flow_id() as i32
}

fn main() {
    testing::set_bpf_sock_ops_get_flow_id(Some(|_| 77));
    let mut ctx = bpf_sock_ops_t::default();
    ctx.set_local_port(8);
    ctx.set_family(2);
    assert_eq!(unsafe { raw(&mut ctx) }, 8);
    assert_eq!(unsafe { shared(&mut ctx) }, 2);
    assert_eq!(unsafe { typed(&mut ctx) }, 77);
}
