use ebpf_nethooks::*;

#[bind_hook]
struct Program;

fn main() {
    let _ = Program;
}
