use ebpf_nethooks::maps::HashMap;

// A reference is an address in this program, meaningless in a map that other
// programs and user mode read, and not every bit pattern is one.
ebpf_nethooks::map! {
    static NAMES: HashMap<u32, &'static u32> = HashMap::with_max_entries(16, 0);
}

fn main() {}
