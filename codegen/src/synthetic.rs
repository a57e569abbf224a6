//! Synthetic specs of a chosen size, valid by construction, for benchmarks and
//! scaling tests. Items come in units of ten (one constant, three enums, four
//! structs, one hook, one helper), so every kind and every layout feature (padding,
//! arrays, pointers, embedded structs, nested anonymous structs and unions) scales
//! together.

use std::fmt::Write as _;

/// Items in one unit of a synthetic spec.
pub const ITEMS_PER_UNIT: usize = 10;

/// A spec of at least `items` items (rounded up to whole units of ten).
pub fn spec(items: usize) -> String {
    let units = items.div_ceil(ITEMS_PER_UNIT).max(1);
    let mut s = String::from(
        "[header]\nfile = \"synthetic.h\"\nincludes = [\"stdint.h\"]\ndoc = \"A synthetic spec.\"\n",
    );
    for i in 0..units {
        unit(&mut s, i);
    }
    s
}

fn member(s: &mut String, table: &str, name: &str, ty: &str, array: Option<u32>) {
    let _ = write!(s, "\n[[{table}]]\nname = \"{name}\"\ntype = \"{ty}\"\n");
    if let Some(n) = array {
        let _ = writeln!(s, "array = {n}");
    }
    let _ = writeln!(s, "doc = \"Member {name}.\"");
}

fn anonymous(s: &mut String, table: &str, kind: &str, rust_name: &str) {
    let _ = write!(
        s,
        "\n[[{table}]]\nanonymous = \"{kind}\"\nrust_name = \"{rust_name}\"\ndoc = \"An anonymous {kind}.\"\n"
    );
}

fn enumeration(s: &mut String, name: &str, tag: bool, values: &[(String, Option<String>)]) {
    let _ = write!(s, "\n[[enum]]\nname = \"{name}_t\"\n");
    if tag {
        let _ = writeln!(s, "tag = \"_{name}\"");
    }
    let _ = writeln!(s, "doc = \"Enum {name}.\"");
    for (value, expr) in values {
        let _ = write!(s, "\n[[enum.enumerator]]\nname = \"{value}\"\n");
        if let Some(expr) = expr {
            let _ = writeln!(s, "value = \"{expr}\"");
        }
        let _ = writeln!(s, "doc = \"Enumerator {value}.\"");
    }
}

fn unit(s: &mut String, i: usize) {
    let p = format!("syn{i}");
    let up = p.to_uppercase();
    // Each unit's helper IDs start at their own base, so helper IDs never collide.
    let _ = write!(
        s,
        "\n[[constant]]\nname = \"{up}_HELPER_BASE\"\nvalue = \"{}\"\ndoc = \"Base of unit {i}'s helper IDs.\"\n",
        0x10000 + 4 * i
    );
    let op: Vec<(String, Option<String>)> = ["OPEN", "CLOSE", "RESET"]
        .iter()
        .map(|v| (format!("{up}_OP_{v}"), None))
        .collect();
    enumeration(s, &format!("{p}_op"), true, &op);
    let verdict: Vec<(String, Option<String>)> = ["ALLOW", "DENY", "REDIRECT"]
        .iter()
        .enumerate()
        .map(|(n, v)| (format!("{up}_VERDICT_{v}"), Some(n.to_string())))
        .collect();
    enumeration(s, &format!("{p}_verdict"), true, &verdict);
    let ids = vec![(
        format!("BPF_FUNC_{p}_helper"),
        Some(format!("{up}_HELPER_BASE + 1")),
    )];
    enumeration(s, &format!("{p}_helper_id"), false, &ids);

    let _ = write!(
        s,
        "\n[[struct]]\nname = \"{p}_a_t\"\ntag = \"_{p}_a\"\ndoc = \"Mixed members.\"\n"
    );
    member(s, "struct.member", "flag", "uint8_t", None);
    member(s, "struct.member", "count", "uint64_t", None);
    member(s, "struct.member", "ports", "uint16_t", Some(3));
    member(s, "struct.member", "op", &format!("{p}_op_t"), None);
    member(s, "struct.member", "data", "uint8_t*", None);

    let _ = write!(
        s,
        "\n[[struct]]\nname = \"{p}_b_t\"\ndoc = \"Embeds a struct.\"\n"
    );
    member(s, "struct.member", "kind", "int16_t", None);
    member(s, "struct.member", "inner", &format!("{p}_a_t"), None);
    member(s, "struct.member", "tail", "int32_t", Some(2));

    let _ = write!(
        s,
        "\n[[struct]]\nname = \"{p}_c_t\"\ndoc = \"A union of addresses.\"\n"
    );
    member(s, "struct.member", "family", "uint32_t", None);
    anonymous(s, "struct.member", "union", "address");
    member(s, "struct.member.member", "ip4", "uint32_t", None);
    member(s, "struct.member.member", "ip6", "uint32_t", Some(4));
    member(s, "struct.member", "port", "uint16_t", None);

    let _ = write!(
        s,
        "\n[[struct]]\nname = \"{p}_ctx_t\"\ntag = \"_{p}_ctx\"\ndoc = \"Hook context.\"\n"
    );
    member(s, "struct.member", "op", &format!("{p}_op_t"), None);
    anonymous(s, "struct.member", "struct", "source");
    anonymous(s, "struct.member.member", "union", "source_address");
    member(
        s,
        "struct.member.member.member",
        "src_ip4",
        "uint32_t",
        None,
    );
    member(
        s,
        "struct.member.member.member",
        "src_ip6",
        "uint32_t",
        Some(4),
    );
    member(s, "struct.member.member", "src_port", "uint16_t", None);
    member(s, "struct.member", "protocol", "uint8_t", None);
    member(s, "struct.member", "luid", "uint64_t", None);

    let _ = write!(
        s,
        "\n[[hook]]\nname = \"{p}_hook_t\"\nprogram_type = \"PROGRAM_TYPE_{up}\"\ncontext = \"{p}_ctx_t\"\n\
         returns = \"{p}_verdict_t\"\ndoc = \"Hook of unit {i}.\"\n\
         [hook.param]\nname = \"context\"\ndoc = \"The context.\"\n"
    );
    for v in &verdict {
        let _ = write!(
            s,
            "[[hook.retval]]\nvalue = \"{}\"\ndoc = \"Verdict.\"\n",
            v.0
        );
    }
    // Attach type names are global (the Rust bindings make a marker type of each).
    for attach in ["one", "two"] {
        let _ = write!(
            s,
            "[[hook.attach]]\nname = \"{p}_{attach}\"\nattach_type = \"ATTACH_{up}_{}\"\n\
             section = \"{p}/{attach}\"\ndoc = \"Attach point {attach}.\"\n",
            attach.to_uppercase()
        );
    }

    let _ = write!(
        s,
        "\n[[helper]]\nname = \"bpf_{p}_helper\"\nid = \"BPF_FUNC_{p}_helper\"\nhook = \"{p}_hook_t\"\n\
         not_at = [\"{p}_two\"]\ndoc = \"Helper of unit {i}.\"\n\
         [helper.returns]\ntype = \"int\"\n\
         [[helper.returns.value]]\nvalue = \"0\"\ndoc = \"Success.\"\n\
         [[helper.param]]\nname = \"ctx\"\ntype = \"{p}_ctx_t*\"\ndirection = \"in\"\ndoc = \"The context.\"\n\
         [[helper.param]]\nname = \"data\"\ntype = \"void*\"\ndirection = \"out\"\ndoc = \"Filled in.\"\n\
         [[helper.param]]\nname = \"size\"\ntype = \"uint32_t\"\ndirection = \"in\"\ndoc = \"Size of data.\"\n"
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_specs_are_valid_and_have_the_requested_size() {
        for items in [10, 100, 250] {
            let model = crate::load_str(&super::spec(items), "synthetic.toml")
                .unwrap_or_else(|e| panic!("{items} items: {e}"));
            let count = model.constants.len()
                + model.enums.len()
                + model.structs.len()
                + model.hooks.len()
                + model.helpers.len();
            assert_eq!(count, items);
        }
    }
}
