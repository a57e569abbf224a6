use ebpf_nethooks::maps::HashMap;

// eBPF for Windows' map definition has no flags member.
ebpf_nethooks::map! {
    static PORTS: HashMap<u16, u8> = HashMap::with_max_entries(16, 1);
}

fn main() {}
