use ebpf_nethooks::maps::HashMap;
use zerocopy::{FromBytes, Immutable, IntoBytes};

// Three bytes of padding after `protocol`: uninitialised bytes in a value that
// user mode reads, or in a key, where equal keys would then differ.
#[derive(Clone, Copy, FromBytes, IntoBytes, Immutable)]
#[repr(C)]
struct Flow {
    protocol: u8,
    port: u32,
}

ebpf_nethooks::map! {
    static FLOWS: HashMap<u32, Flow> = HashMap::with_max_entries(16, 0);
}

fn main() {}
