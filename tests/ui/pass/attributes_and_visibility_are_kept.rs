//! Docs, `cfg`, `allow` and visibility survive; patterns other than a plain name work;
//! paths may be qualified.
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]
//! A crate of programs.

/// Programs in a module.
pub mod programs {
    /// The bind program.
    #[ebpf_nethooks::bind_hook]
    #[allow(clippy::needless_return)]
    pub fn documented(_: &mut ebpf_nethooks::bind_md_t) -> ebpf_nethooks::bind_action_t {
        return ebpf_nethooks::bind_action_t::BIND_PERMIT_SOFT;
    }

    #[ebpf_nethooks::sock_ops_hook]
    #[cfg(any())]
    pub fn compiled_out(ctx: &mut ebpf_nethooks::bpf_sock_ops_t) -> i32 {
        let _ = ctx;
        0
    }
}

/// A program may be called `ctx`: the entry point's own parameter cannot clash with it.
#[ebpf_nethooks::sock_ops_hook]
fn ctx(ctx: &ebpf_nethooks::bpf_sock_ops_t) -> i32 {
    ctx.family() as i32
}

fn main() {
    let mut sock = ebpf_nethooks::bpf_sock_ops_t::default();
    sock.set_family(23);
    assert_eq!(unsafe { ctx(&mut sock) }, 23);

    let mut ctx = ebpf_nethooks::bind_md_t::default();
    let verdict = unsafe { programs::documented(&mut ctx) };
    assert_eq!(verdict, ebpf_nethooks::bind_action_t::BIND_PERMIT_SOFT);
}
