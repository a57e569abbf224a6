//! `[[macro_block]]`: C text the header carries as written (variadic macros,
//! compiler-specific redirections), placed after a helper. The text is checked
//! enough that it cannot break the header around it: balanced conditionals and
//! comments, no `#include`, no macro that silently redefines an item of the spec.

use std::collections::HashSet;

use crate::model::MacroBlock;
use crate::spec::RawMacroBlock;

use super::Resolver;

/// Longest block admitted; real ones are a few dozen lines.
const MAX_BLOCK_LEN: usize = 16 * 1024;

impl Resolver {
    pub(super) fn macro_block(&mut self, raw: &RawMacroBlock, _index: usize) -> Option<MacroBlock> {
        let doc = self.doc(&raw.doc, "macro block");
        let after = match &raw.after {
            Some(after) => {
                let found = self.helpers.get(after.get_ref()).copied();
                if found.is_none() {
                    self.reports
                        .error(
                            after.span(),
                            format!("`{}` is not a helper of this spec", after.get_ref()),
                            "a macro block is placed right after a `[[helper]]`",
                        )
                        .suggest(after.get_ref(), self.helpers.keys().map(String::as_str));
                }
                Some(found)
            }
            None => None,
        };
        let text = raw.text.get_ref().trim_matches('\n');
        let problems = check_text(text, &|name| self.ordinary.contains_key(name));
        for (line, problem, help) in &problems {
            self.reports
                .error(
                    raw.text.span(),
                    format!("this macro block {problem}"),
                    format!("line {line} of the block"),
                )
                .help(*help);
        }
        if !problems.is_empty() {
            return None;
        }
        Some(MacroBlock {
            after: match after {
                Some(found) => Some(found?),
                None => None,
            },
            defined_in: self.defined_in(&raw.defined_in),
            doc,
            text: text.to_owned(),
        })
    }
}

/// Every problem of a block's text: (1-based line, what is wrong, how to fix it).
/// `declared` says whether a name is an item of the spec.
fn check_text(text: &str, declared: &dyn Fn(&str) -> bool) -> Vec<(usize, String, &'static str)> {
    let mut problems = Vec::new();
    if text.trim().is_empty() || text.len() > MAX_BLOCK_LEN {
        problems.push((
            1,
            "is empty or too long".to_owned(),
            "write a few lines of C",
        ));
        return problems;
    }
    let mut open: Vec<usize> = Vec::new();
    let mut undefined: HashSet<&str> = HashSet::new();
    let mut in_comment = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(c) = line.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
            problems.push((
                n,
                format!("holds the character {:?}", c),
                "use printable ASCII and spaces only; indent with spaces",
            ));
        }
        in_comment = comment_state(line, in_comment);
        let directive = line.trim_start().strip_prefix('#').map(str::trim_start);
        let Some(directive) = directive.filter(|_| !in_comment) else {
            continue;
        };
        let (keyword, rest) = directive
            .split_once(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or((directive, ""));
        let name = rest
            .trim_start()
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        match keyword {
            "if" | "ifdef" | "ifndef" => open.push(n),
            "else" | "elif" if open.is_empty() => problems.push((
                n,
                format!("has `#{keyword}` without `#if`"),
                "open the conditional in the same block",
            )),
            "endif" if open.pop().is_none() => problems.push((
                n,
                "has `#endif` without `#if`".to_owned(),
                "open the conditional in the same block",
            )),
            "include" => problems.push((
                n,
                "includes a file".to_owned(),
                "the header's includes are `[header] includes`; a block holds macros only",
            )),
            "undef" => {
                undefined.insert(name);
            }
            "define" if declared(name) && !undefined.contains(name) => problems.push((
                n,
                format!("redefines `{name}`, an item of this spec"),
                "write `#undef NAME` before it if the block is meant to replace it",
            )),
            _ => {}
        }
    }
    if let Some(&n) = open.last() {
        problems.push((
            n,
            "leaves a conditional open".to_owned(),
            "close every `#if`, `#ifdef` and `#ifndef` with `#endif` in the same block",
        ));
    }
    if in_comment {
        problems.push((
            text.lines().count(),
            "leaves a comment open".to_owned(),
            "close every `/*` with `*/` in the same block",
        ));
    }
    problems
}

/// Whether a `/* */` comment is still open at the end of `line`.
fn comment_state(line: &str, mut in_comment: bool) -> bool {
    let mut rest = line;
    loop {
        let marker = if in_comment { "*/" } else { "/*" };
        match rest.find(marker) {
            Some(at) => {
                in_comment = !in_comment;
                rest = &rest[at + 2..];
            }
            None => return in_comment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_text;

    /// (text, which names are the spec's, the problems expected: line and message)
    type Case<'a> = (&'a str, &'a dyn Fn(&str) -> bool, &'a [(usize, &'a str)]);

    #[test]
    fn finds_each_problem_at_its_line() {
        let none = |_: &str| false;
        let helper = |name: &str| name == "bpf_x";
        let cases: [Case; 7] = [
            ("#ifndef A\n#define B 1\n#endif", &none, &[]),
            (
                "#if A\n#define B 1",
                &none,
                &[(1, "leaves a conditional open")],
            ),
            (
                "#define B 1\n#endif",
                &none,
                &[(2, "has `#endif` without `#if`")],
            ),
            ("#include <x.h>", &none, &[(1, "includes a file")]),
            ("/* open\n#define B", &none, &[(2, "leaves a comment open")]),
            (
                "#define bpf_x 1",
                &helper,
                &[(1, "redefines `bpf_x`, an item of this spec")],
            ),
            ("#undef bpf_x\n#define bpf_x(a) a", &helper, &[]),
        ];
        for (text, declared, expected) in cases {
            let found: Vec<(usize, String)> = check_text(text, declared)
                .into_iter()
                .map(|(line, problem, _)| (line, problem))
                .collect();
            let expected: Vec<(usize, String)> = expected
                .iter()
                .map(|(l, p)| (*l, (*p).to_owned()))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
