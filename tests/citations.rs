//! Comments cite upstream as `path:line` or an in-repo document by file and section
//! (`docs/general-helpers-abi.md` §5.2), never a bare "facts N.M" of a document the
//! repository does not hold. `python3 scripts/cite-facts.py` rewrites the old style.

use std::path::Path;

/// The files below `dir` that hold source or documentation, without build output
/// and without `docs/` (the documents themselves).
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "docs" {
                sources(&path, out);
            }
        } else if ["rs", "md", "c", "h", "cpp", "toml", "sh"]
            .iter()
            .any(|ext| path.extension().is_some_and(|e| e == *ext))
        {
            out.push(path);
        }
    }
}

/// The word "facts", a space and a section number, as the old citations had it.
fn cites_facts_by_number(line: &str) -> bool {
    line.to_ascii_lowercase()
        .match_indices("facts ")
        .any(|(at, _)| {
            let rest = &line.as_bytes()[at + "facts ".len()..];
            rest.len() >= 3
                && rest[0].is_ascii_digit()
                && rest[1] == b'.'
                && rest[2].is_ascii_digit()
        })
}

#[test]
fn no_comment_cites_facts_by_number() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(root, &mut files);
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if cites_facts_by_number(line) {
                found.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(root).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite docs/<file>.md §N.M instead (python3 scripts/cite-facts.py rewrites these):\n{}",
        found.join("\n")
    );
}
