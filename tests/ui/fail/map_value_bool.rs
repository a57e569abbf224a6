use ebpf_nethooks::maps::Array;

// Map memory may hold any byte, and only 0 and 1 are a `bool`.
ebpf_nethooks::map! {
    static ENABLED: Array<bool> = Array::with_max_entries(1, 0);
}

fn main() {}
