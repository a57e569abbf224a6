use ebpf_nethooks::maps::HashMap;

ebpf_nethooks::map! {
    static PORTS: HashMap<u16, u8> = HashMap::with_max_entries(16, 0);
}

fn main() {
    // A 4-byte key for a map of 2-byte keys would read past the key, or miss.
    let _ = PORTS.get(&443u32);
}
