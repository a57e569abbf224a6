use ebpf_nethooks::*;

#[sock_addr_hook(connect5, bind4)]
async fn program<T>(ctx: &mut bind_md_t, extra: T) -> u32 {
    let _ = (ctx, extra);
    0
}

fn main() {}
