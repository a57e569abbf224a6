//! The harness can fail: a program compiled against a copy of the header in which one
//! member has moved reads the wrong bytes, and the differential check catches it.

mod support;

use support::policies::{BIND_CASES, differences, raw_bind_policy};

/// The generated header with `process_id` moved from third to last in `bind_md_t`.
fn corrupted_header(keep_layout_checks: bool) -> String {
    let header =
        std::fs::read_to_string(support::generated_include_dir().join("ebpf_nethooks.h")).unwrap();
    let start = header
        .find("typedef struct _bind_md")
        .expect("bind_md_t in the header");
    let end = start + header[start..].find("} bind_md_t;").unwrap();
    let member = "    uint64_t process_id;\n";
    let body = &header[start..end];
    assert!(
        body.contains(member),
        "process_id is no longer declared as `{member}`"
    );
    let moved = format!("{}{member}", body.replacen(member, "", 1));
    let corrupted = format!("{}{moved}{}", &header[..start], &header[end..]);
    if keep_layout_checks {
        return corrupted;
    }
    // Strip the header's own guard, which would otherwise stop the compile.
    corrupted
        .lines()
        .filter(|line| {
            !(line.contains("EBPF_NETHOOKS_CHECK_LAYOUT(") && line.contains("bind_md_t"))
        })
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn the_headers_layout_checks_reject_the_moved_member() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ebpf_nethooks.h"), corrupted_header(true)).unwrap();
    let source = support::programs_dir().join("bind_policy.c");
    let out = support::output(&mut support::clang_bpf(
        &source,
        dir.path(),
        &dir.path().join("bind_policy.o"),
        &[],
    ));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the corrupted header compiled");
    assert!(
        stderr.contains("offsetof(bind_md_t, process_id) == 16"),
        "{stderr}"
    );
}

#[test]
fn a_program_built_against_a_moved_member_fails_the_differential_check() {
    let dir = tempfile::tempdir().unwrap();
    let include = dir.path().join("include");
    std::fs::create_dir(&include).unwrap();
    std::fs::write(include.join("ebpf_nethooks.h"), corrupted_header(false)).unwrap();
    let elf = support::compile_with("bind_policy.c", &include, dir.path(), &[]);
    let program = nethooks_run::load_program(&elf, None).unwrap();
    let problems = differences(&[&program], raw_bind_policy, BIND_CASES);
    // The moved member shifts socket_address too: most rows go wrong, among them
    // the plain deny of port 23 and the pid-4 hard permit.
    for row in ["[socket_address=hex:02000017c0a80001]", "[process_id=4]"] {
        assert!(
            problems.iter().any(|p| p.contains(row)),
            "row {row} was not caught:\n{}",
            problems.join("\n")
        );
    }
    assert!(
        problems.len() >= BIND_CASES.len() / 2,
        "{}",
        problems.join("\n")
    );

    // The same source against the real header passes, so the header is the cause.
    let good = support::compile("bind_policy.c", dir.path());
    let program = nethooks_run::load_program(&good, None).unwrap();
    assert_eq!(
        differences(&[&program], raw_bind_policy, BIND_CASES),
        Vec::<String>::new()
    );
}
