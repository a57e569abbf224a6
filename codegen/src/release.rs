//! Releases: one spec describes every eBPF for Windows release it lists in
//! `[[release]]`, oldest first. An item carries the release that added it (`since`)
//! and the first release without it in that form (`until`); `[[X.earlier]]` gives
//! the doc or parameter type an item had before a release changed it.
//!
//! [`check`] validates every release name the spec writes; [`select`] cuts the spec
//! as written down to what one release has, so the resolver and every emitter work
//! on one release at a time and never see the others.

use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::spec::{RawEarlier, RawSpec, SpannedStr};
use crate::suggest::{did_you_mean, suggest};

/// Longest release name, tag or date admitted.
const MAX_NAME_LEN: usize = 40;

/// One item's release range as written: `since` and `until`.
type ReleaseRange<'a> = (Option<&'a SpannedStr>, Option<&'a SpannedStr>);

/// The release names of a spec, oldest first.
pub fn names(raw: &RawSpec) -> Vec<&str> {
    raw.releases
        .iter()
        .map(|r| r.name.get_ref().as_str())
        .collect()
}

/// Every problem with the releases of a spec: the `[[release]]` list itself, and
/// each `since`, `until` and `earlier` that names a release.
pub fn check(raw: &RawSpec) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: Vec<&SpannedStr> = Vec::new();
    for release in &raw.releases {
        for (field, what) in [
            (&release.name, "release name"),
            (&release.tag, "release tag"),
        ] {
            let text = field.get_ref();
            let plain = !text.is_empty()
                && text.len() <= MAX_NAME_LEN
                && text.starts_with(|c: char| c.is_ascii_alphanumeric())
                && (text.chars()).all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
            if !plain {
                problems.push(
                    Diagnostic::new(
                        field.span(),
                        format!("`{}` is not a {what}", text.escape_debug()),
                        "expected a version such as `1.4.0` or a tag such as `v1.4.0`",
                    )
                    .with_help(
                        "use ASCII letters, digits, `.` and `-`, starting with a letter or digit",
                    ),
                );
            }
        }
        if !is_date(release.date.get_ref()) {
            problems.push(Diagnostic::new(
                release.date.span(),
                format!("`{}` is not a date", release.date.get_ref().escape_debug()),
                "expected the tag's date as `YYYY-MM-DD`",
            ));
        }
        if let Some(first) = seen.iter().find(|s| s.get_ref() == release.name.get_ref()) {
            problems.push(
                Diagnostic::new(
                    release.name.span(),
                    format!("release `{}` is listed twice", release.name.get_ref()),
                    "listed again here",
                )
                .with_note(first.span(), "first listed here"),
            );
        }
        seen.push(&release.name);
    }
    for window in raw.releases.windows(2) {
        if window[1].date.get_ref() < window[0].date.get_ref() {
            problems.push(
                Diagnostic::new(
                    window[1].date.span(),
                    format!(
                        "release `{}` is dated before `{}`, which is listed above it",
                        window[1].name.get_ref(),
                        window[0].name.get_ref()
                    ),
                    "releases are listed oldest first",
                )
                .with_note(window[0].date.span(), "the release above"),
            );
        }
    }
    let known = names(raw);
    let index = |name: &SpannedStr, problems: &mut Vec<Diagnostic>| -> Option<usize> {
        let found = known.iter().position(|k| k == name.get_ref());
        if found.is_none() {
            problems.push(unknown_release(name, &known));
        }
        found
    };
    for (since, until) in ranges(raw) {
        let since_index = since.and_then(|s| index(s, &mut problems));
        let until_index = until.and_then(|u| index(u, &mut problems));
        if let (Some(s), Some(u), Some(since), Some(until)) =
            (since_index, until_index, since, until)
        {
            if u > s {
                continue;
            }
            problems.push(
                Diagnostic::new(
                    until.span(),
                    format!(
                        "`until = \"{}\"` is not after `since = \"{}\"`",
                        until.get_ref(),
                        since.get_ref()
                    ),
                    "no release would have this item",
                )
                .with_note(since.span(), "added here")
                .with_help(
                    "`until` names the first release without the item: a later one than `since`",
                ),
            );
        }
    }
    for (earlier, allows_type, since) in earliers(raw) {
        let until_index = index(&earlier.until, &mut problems);
        let since_index = since.and_then(|s| known.iter().position(|k| k == s.get_ref()));
        if let (Some(u), Some(s), Some(since)) = (until_index, since_index, since)
            && u <= s
        {
            problems.push(
                Diagnostic::new(
                    earlier.until.span(),
                    format!(
                        "this earlier form ends at `{}`, not after the item's `since = \"{}\"`",
                        earlier.until.get_ref(),
                        since.get_ref()
                    ),
                    "no release would use it",
                )
                .with_note(since.span(), "the item is added here")
                .with_help(
                    "`until` names the release that changed the item: a later one than `since`",
                ),
            );
        }
        if earlier.doc.is_none() && earlier.ty.is_none() {
            problems.push(Diagnostic::new(
                earlier.until.span(),
                "this earlier form changes nothing",
                "an `[[earlier]]` table gives the `doc` (or a parameter's `type`) before `until`",
            ));
        }
        if let (Some(ty), false) = (&earlier.ty, allows_type) {
            problems.push(
                Diagnostic::new(
                    ty.span(),
                    "only a helper parameter's type changes between releases",
                    "`type` has no meaning here",
                )
                .with_help("give the item's earlier `doc` only"),
            );
        }
    }
    problems
}

/// Whether `text` is a `YYYY-MM-DD` date.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3
        && digits(parts[0], 4)
        && digits(parts[1], 2)
        && digits(parts[2], 2)
        && (1..=12).contains(&parts[1].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u8>().unwrap_or(0))
}

fn unknown_release(name: &SpannedStr, known: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        name.span(),
        format!("unknown release `{}`", name.get_ref().escape_debug()),
        if known.is_empty() {
            "this spec lists no `[[release]]`"
        } else {
            "not one of the spec's `[[release]]` names"
        },
    );
    match suggest(name.get_ref(), known.iter().copied()) {
        Some(near) => diagnostic.with_help(did_you_mean(near)),
        None if known.is_empty() => diagnostic
            .with_help("list the releases first: `[[release]]` with `name`, `tag` and `date`"),
        None => diagnostic.with_help(format!(
            "the spec lists: {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Every `since`/`until` pair of the spec.
fn ranges(raw: &RawSpec) -> Vec<ReleaseRange<'_>> {
    let mut all: Vec<ReleaseRange<'_>> = Vec::new();
    all.extend(
        raw.header
            .project_includes
            .iter()
            .map(|i| (i.since.as_ref(), i.until.as_ref())),
    );
    all.extend(
        raw.constants
            .iter()
            .map(|c| (c.since.as_ref(), c.until.as_ref())),
    );
    for e in &raw.enums {
        all.push((e.since.as_ref(), e.until.as_ref()));
        all.extend(
            e.enumerators
                .iter()
                .map(|x| (x.since.as_ref(), x.until.as_ref())),
        );
    }
    all.extend(
        raw.structs
            .iter()
            .map(|s| (s.since.as_ref(), s.until.as_ref())),
    );
    all.extend(
        raw.typedefs
            .iter()
            .map(|t| (t.since.as_ref(), t.until.as_ref())),
    );
    for h in &raw.hooks {
        all.extend(
            h.retvals
                .iter()
                .map(|r| (r.since.as_ref(), r.until.as_ref())),
        );
        all.extend(
            h.attach_types
                .iter()
                .map(|a| (a.since.as_ref(), a.until.as_ref())),
        );
    }
    for h in &raw.helpers {
        all.push((h.since.as_ref(), h.until.as_ref()));
        all.extend(
            h.returns
                .values
                .iter()
                .map(|r| (r.since.as_ref(), r.until.as_ref())),
        );
    }
    all.extend(
        raw.macro_blocks
            .iter()
            .map(|m| (m.since.as_ref(), m.until.as_ref())),
    );
    all
}

/// Every `[[earlier]]` table of the spec, and whether it may change a type.
/// Each earlier form with the `since` of its item.
fn of<'a>(
    earlier: &'a [RawEarlier],
    since: Option<&'a SpannedStr>,
) -> impl Iterator<Item = (&'a RawEarlier, Option<&'a SpannedStr>)> {
    earlier.iter().map(move |e| (e, since))
}

/// Each with the `since` of its item (a parameter's is its helper's), so an earlier
/// form that no release would use is found.
fn earliers(raw: &RawSpec) -> Vec<(&RawEarlier, bool, Option<&SpannedStr>)> {
    let mut all: Vec<(&RawEarlier, bool, Option<&SpannedStr>)> = Vec::new();
    let items = (raw
        .constants
        .iter()
        .flat_map(|c| of(&c.earlier, c.since.as_ref())))
    .chain(
        raw.enums
            .iter()
            .flat_map(|e| of(&e.earlier, e.since.as_ref())),
    )
    .chain(
        raw.structs
            .iter()
            .flat_map(|s| of(&s.earlier, s.since.as_ref())),
    )
    .chain(raw.hooks.iter().flat_map(|h| of(&h.earlier, None)))
    .chain(
        raw.helpers
            .iter()
            .flat_map(|h| of(&h.earlier, h.since.as_ref())),
    );
    all.extend(items.map(|(e, since)| (e, false, since)));
    for h in &raw.helpers {
        let params = h
            .params
            .iter()
            .flat_map(|p| of(&p.earlier, h.since.as_ref()));
        all.extend(params.map(|(e, since)| (e, true, since)));
    }
    all
}

/// A checked spec's releases, for [`select`]: each name's position.
pub struct Releases<'a> {
    names: Vec<&'a str>,
}

impl<'a> Releases<'a> {
    /// The releases of a spec that [`check`] found no problem in.
    pub fn of(raw: &'a RawSpec) -> Self {
        Releases { names: names(raw) }
    }

    /// A name's position; `None` only for a name [`check`] reported.
    fn index(&self, name: &SpannedStr) -> Option<usize> {
        self.names.iter().position(|n| n == name.get_ref())
    }

    /// Whether release `at` has an item of this range.
    fn has(&self, at: usize, since: &Option<SpannedStr>, until: &Option<SpannedStr>) -> bool {
        let since = since.as_ref().map(|s| self.index(s));
        let until = until.as_ref().map(|u| self.index(u));
        since.is_none_or(|s| s.is_some_and(|s| s <= at))
            && until.is_none_or(|u| u.is_none_or(|u| at < u))
    }

    /// The earlier form in force at release `at`: the one changed soonest after it.
    fn earlier_at<'e>(&self, at: usize, earlier: &'e [RawEarlier]) -> Option<&'e RawEarlier> {
        (earlier.iter())
            .filter_map(|e| Some((self.index(&e.until)?, e)))
            .filter(|&(until, _)| at < until)
            .min_by_key(|&(until, _)| until)
            .map(|(_, e)| e)
    }
}

/// The spec as release `at` (an index into its `[[release]]` list) has it: items the
/// release lacks are gone, and changed items take the form they had then. Spans stay
/// those of the spec file, so diagnostics still point into it.
pub fn select(raw: &RawSpec, at: usize) -> RawSpec {
    let releases = Releases::of(raw);
    let has =
        |since: &Option<SpannedStr>, until: &Option<SpannedStr>| releases.has(at, since, until);
    let doc_at = |doc: &mut SpannedStr, earlier: &[RawEarlier]| {
        if let Some(text) = releases.earlier_at(at, earlier).and_then(|e| e.doc.clone()) {
            *doc = text;
        }
    };
    let mut spec = raw.clone();
    spec.header
        .project_includes
        .retain(|i| has(&i.since, &i.until));
    spec.constants.retain(|c| has(&c.since, &c.until));
    for c in &mut spec.constants {
        doc_at(&mut c.doc, &c.earlier);
    }
    spec.enums.retain(|e| has(&e.since, &e.until));
    for e in &mut spec.enums {
        e.enumerators.retain(|x| has(&x.since, &x.until));
        doc_at(&mut e.doc, &e.earlier);
    }
    spec.structs.retain(|s| has(&s.since, &s.until));
    for s in &mut spec.structs {
        doc_at(&mut s.doc, &s.earlier);
    }
    spec.typedefs.retain(|t| has(&t.since, &t.until));
    // Every release's attach types: a name no release has is a mistake, left in the
    // list for the resolver to report.
    let every_attach: HashSet<&String> = (raw.hooks.iter())
        .flat_map(|h| h.attach_types.iter().map(|a| a.name.get_ref()))
        .collect();
    let mut attach_names: HashSet<String> = HashSet::new();
    for h in &mut spec.hooks {
        h.retvals.retain(|r| has(&r.since, &r.until));
        h.attach_types.retain(|a| has(&a.since, &a.until));
        attach_names.extend(h.attach_types.iter().map(|a| a.name.get_ref().clone()));
        doc_at(&mut h.doc, &h.earlier);
    }
    spec.helpers.retain(|h| has(&h.since, &h.until));
    for h in &mut spec.helpers {
        h.returns.values.retain(|r| has(&r.since, &r.until));
        doc_at(&mut h.doc, &h.earlier);
        // An availability list names the attach types of every release; each
        // release keeps the ones it has.
        for list in [&mut h.only_at, &mut h.not_at].into_iter().flatten() {
            list.get_mut().retain(|a| {
                attach_names.contains(a.get_ref()) || !every_attach.contains(a.get_ref())
            });
        }
        for p in &mut h.params {
            if let Some(earlier) = releases.earlier_at(at, &p.earlier) {
                if let Some(ty) = &earlier.ty {
                    p.ty = ty.clone();
                }
                if let Some(doc) = &earlier.doc {
                    p.doc = doc.clone();
                }
            }
        }
    }
    spec.macro_blocks.retain(|m| has(&m.since, &m.until));
    spec
}
