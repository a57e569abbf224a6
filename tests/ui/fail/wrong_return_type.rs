use ebpf_nethooks::*;

#[bind_hook]
fn program(ctx: &mut bind_md_t) -> i32 {
    let _ = ctx;
    1
}

fn main() {}
