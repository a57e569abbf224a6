//! The generated verifier tables (`generated/verifier/*.txt`) say what
//! `docs/efw-verifier-facts.md` says eBPF for Windows tells PREVAIL: every helper's return and argument kinds and
//! program type, every program type's number, context descriptor and section
//! prefixes, and every map type's descriptor.

mod support;

use std::collections::BTreeMap;

use support::workspace_root;

const FACTS: &str = "docs/efw-verifier-facts.md";

fn facts() -> String {
    let path = workspace_root().join(FACTS);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the facts file {}: {e}", path.display()))
}

/// `docs/efw-verifier-facts.md` describes upstream's 00053ce6b, which is release 1.3.0 without the
/// listen attach types (`docs/efw-releases.md`): its tables are 1.3.0's, listen sections left
/// out.
const FACTS_RELEASE: &str = "1.3.0";
const NOT_AT_FACTS_COMMIT: [&str; 2] = ["cgroup/listen4", "cgroup/listen6"];

/// The verifier tables of one release, as `codegen --efw-version RELEASE` writes them.
fn tables_of(release: &str) -> String {
    let artifacts = codegen::generate_all_release(
        &support::all_specs(),
        &[codegen::emit::Kind::VerifierTables],
        Some(release),
    )
    .unwrap_or_else(|errors| panic!("{}", errors[0]));
    artifacts.into_iter().map(|a| a.contents).collect()
}

fn tables() -> String {
    let text = tables_of(FACTS_RELEASE);
    (text.lines())
        .map(|line| {
            let words: Vec<&str> = (line.split(' '))
                .filter(|w| !NOT_AT_FACTS_COMMIT.contains(w))
                .collect();
            words.join(" ") + "\n"
        })
        .collect()
}

/// The cells of `docs/efw-verifier-facts.md`'s table rows that start with `| <first cell>`.
fn rows<'a>(text: &'a str, heading: &str) -> Vec<Vec<&'a str>> {
    let section = text
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect()
}

fn short(kind: &str) -> &'static str {
    match kind {
        "EBPF_RETURN_TYPE_INTEGER" => "INT",
        "EBPF_RETURN_TYPE_PTR_TO_MAP_VALUE_OR_NULL" => "MVAL?",
        "EBPF_RETURN_TYPE_INTEGER_OR_NO_RETURN_IF_SUCCEED" => "INT/TAIL",
        "EBPF_ARGUMENT_TYPE_ANYTHING" => "ANY",
        "EBPF_ARGUMENT_TYPE_CONST_SIZE" => "CSZ",
        "EBPF_ARGUMENT_TYPE_CONST_SIZE_OR_ZERO" => "CSZ0",
        "EBPF_ARGUMENT_TYPE_PTR_TO_CTX" => "CTX",
        "EBPF_ARGUMENT_TYPE_PTR_TO_MAP" => "MAP",
        "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_OF_PROGRAMS" => "MAPPROG",
        "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_KEY" => "MKEY",
        "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_VALUE" => "MVAL",
        "EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM" => "RMEM",
        "EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM_OR_NULL" => "RMEM?",
        "EBPF_ARGUMENT_TYPE_PTR_TO_WRITABLE_MEM" => "WMEM",
        other => panic!("unknown kind {other}"),
    }
}

/// The generated rows of one kind, as words.
fn generated(kind: &str) -> Vec<Vec<String>> {
    tables()
        .lines()
        .filter(|l| l.split_whitespace().next() == Some(kind))
        .map(|l| l.split_whitespace().skip(1).map(str::to_owned).collect())
        .collect()
}

/// id -> (program type, name, short kinds: return then arguments).
fn generated_helpers() -> BTreeMap<i64, (String, String, Vec<&'static str>)> {
    generated("helper")
        .into_iter()
        .map(|w| {
            let kinds = w[3..].iter().map(|k| short(k)).collect();
            (w[1].parse().unwrap(), (w[0].clone(), w[2].clone(), kinds))
        })
        .collect()
}

#[test]
fn helper_prototypes_match_the_facts() {
    let text = facts();
    let mut expected = BTreeMap::new();
    for row in rows(&text, "### 5.1 General helpers") {
        let kinds: Vec<&str> = row[2..].iter().copied().filter(|k| *k != "-").collect();
        // The prototype names of 22, 23 and 25 drop the ID's `_s`; ours keep it.
        let name = row[1].split_whitespace().next().unwrap().to_owned();
        expected.insert(
            row[0].parse::<i64>().unwrap(),
            ("*".to_owned(), name, kinds),
        );
    }
    for row in rows(&text, "### 5.2 Hook (program-type-specific) helpers") {
        let id = row[0]
            .split(['(', ')'])
            .nth(1)
            .unwrap()
            .parse::<i64>()
            .unwrap();
        let kinds: Vec<&str> = row[3..].iter().copied().filter(|k| *k != "-").collect();
        expected.insert(id, (row[2].to_owned(), row[1].to_owned(), kinds));
    }
    assert_eq!(expected.len(), 37);
    let generated = generated_helpers();
    let mut differences = Vec::new();
    for (id, (program_type, name, kinds)) in &expected {
        match generated.get(id) {
            Some((g_type, g_name, g_kinds))
                if g_type == program_type
                    && (g_name == name || g_name.strip_suffix("_s") == Some(name))
                    && g_kinds == kinds => {}
            other => differences.push(format!(
                "helper {id}: facts {program_type} {name} {kinds:?}, generated {other:?}"
            )),
        }
    }
    for id in generated.keys().filter(|id| !expected.contains_key(id)) {
        differences.push(format!("helper {id} is generated but not in the facts"));
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn program_types_and_context_descriptors_match_the_facts() {
    let text = facts();
    let descriptors: BTreeMap<&str, Vec<&str>> = rows(&text, "## 4. Context descriptors")
        .into_iter()
        .map(|r| (r[0].trim_matches('`'), r[1..5].to_vec()))
        .collect();
    let mut expected = Vec::new();
    for row in rows(&text, "## 3. Program types and sections") {
        let number = row[1].split_whitespace().next().unwrap();
        let context = row[2].trim_matches('`');
        let descriptor = &descriptors[context];
        // "0 (`app_id_start`)" -> "0".
        let offset = |cell: &str| cell.split_whitespace().next().unwrap().to_owned();
        let mut words = vec![
            row[0].trim_matches('`').to_owned(),
            number.to_owned(),
            descriptor[0].to_owned(),
            offset(descriptor[1]),
            offset(descriptor[2]),
            offset(descriptor[3]),
            row[4].to_owned(),
        ];
        words.extend(
            row[3]
                .split(',')
                .map(|p| p.trim().trim_matches('`').to_owned()),
        );
        expected.push(words);
    }
    assert_eq!(expected.len(), 3);
    assert_eq!(generated("program_type"), expected);
}

#[test]
fn map_types_match_the_facts() {
    let text = facts();
    let expected: Vec<Vec<String>> = rows(&text, "### 6.1 Map types")
        .into_iter()
        .map(|r| {
            vec![
                r[1].to_owned(),
                format!("BPF_MAP_TYPE_{}", r[0]),
                if r[2] == "true" { "1" } else { "0" }.to_owned(),
                r[3].to_owned(),
            ]
        })
        .collect();
    assert_eq!(expected.len(), 8);
    assert_eq!(generated("map_type"), expected);
}

/// The newest release's tables are those of `docs/efw-verifier-facts.md` with what 1.3.0 and 1.4.0 added: the
/// listen sections and helper 35, `bpf_redirect_map`, for every program type.
#[test]
fn the_newest_tables_add_listen_and_redirect_map() {
    let generated = std::fs::read_dir(workspace_root().join("generated/verifier"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect::<Vec<_>>()
        .concat();
    let newest = tables_of("1.5.0");
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(
        sorted(&generated),
        sorted(&newest),
        "generated/ holds the newest release"
    );
    assert!(newest.contains("cgroup/listen4 cgroup/listen6"), "{newest}");
    let redirect: Vec<&str> = (newest.lines())
        .filter(|l| l.split_whitespace().nth(2) == Some("35"))
        .collect();
    assert_eq!(redirect.len(), 1, "{newest}");
    assert!(redirect[0].contains("bpf_redirect_map"), "{}", redirect[0]);
    assert!(!tables_of(FACTS_RELEASE).contains("bpf_redirect_map"));
}
