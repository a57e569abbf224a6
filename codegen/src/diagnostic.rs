//! Spec errors: what is wrong, where (a byte range of the spec file), and how to fix it.
//!
//! Two renderings: for people ([`SpecErrors::render`], rustc style with a caret under
//! the span) and for editors and CI annotations ([`SpecErrors::render_json`], one
//! JSON object per line).

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

/// One problem found in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    /// Byte range in the spec file that the problem is about.
    pub span: Range<usize>,
    /// Label shown under the span.
    pub label: String,
    /// A suggestion, such as "did you mean `uint32_t`?".
    pub help: Option<String>,
    /// Other places that explain the problem, such as the first of two declarations.
    pub notes: Vec<(Range<usize>, String)>,
}

impl Diagnostic {
    pub fn new(span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary span with its own label ("first declared here").
    pub fn with_note(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.notes.push((span, label.into()));
        self
    }
}

/// All problems of one spec file, with the text they point into.
#[derive(Debug, Clone)]
pub struct SpecErrors {
    pub path: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A position as editors count it: 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The JSON form of one diagnostic (`--message-format json`).
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: &'static str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    label: &'a str,
    help: Option<&'a str>,
    notes: Vec<JsonNote<'a>>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    line: usize,
    column: usize,
    message: &'a str,
}

impl SpecErrors {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let p = self.position(offset);
        (p.line, p.column)
    }

    /// The [`Position`] of a byte offset; offsets past the end or inside a
    /// character are moved back onto the text.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.source, offset.min(self.source.len()));
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Position { line, column }
    }

    /// The diagnostics in the order of their place in the file (stable for ties).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        sorted.sort_by_key(|d| d.span.start);
        sorted
    }

    /// Renders every diagnostic as rustc does: summary, `--> file:line:column`, the
    /// source line with a caret under the span, and any help.
    pub fn render(&self) -> String {
        let renderer = Renderer::plain();
        let mut out = String::new();
        for diagnostic in self.sorted() {
            let span = clamp_span(&self.source, diagnostic.span.clone());
            let mut snippet = Snippet::source(self.source.as_str())
                .path(self.path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(diagnostic.label.as_str()),
                );
            for (note_span, label) in &diagnostic.notes {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(clamp_span(&self.source, note_span.clone()))
                        .label(label.as_str()),
                );
            }
            let mut group = Level::ERROR
                .primary_title(diagnostic.message.as_str())
                .element(snippet);
            if let Some(help) = &diagnostic.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            out.push_str(&renderer.render(&[group]));
            out.push_str("\n\n");
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `error: FILE has N errors`: the last line of [`SpecErrors::render`].
    pub fn summary(&self) -> String {
        let count = self.diagnostics.len();
        format!(
            "error: {} has {count} error{}",
            self.path,
            if count == 1 { "" } else { "s" }
        )
    }

    /// One JSON object per line and diagnostic, with `file`, `line`, `column`,
    /// `end_line`, `end_column`, `message`, `label`, `help` (or null) and `notes`.
    pub fn render_json(&self) -> String {
        let mut out = String::new();
        for d in self.sorted() {
            let start = self.position(d.span.start);
            let end = self.position(d.span.end.max(d.span.start));
            let json = JsonDiagnostic {
                file: &self.path,
                severity: "error",
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: &d.message,
                label: &d.label,
                help: d.help.as_deref(),
                notes: d
                    .notes
                    .iter()
                    .map(|(span, message)| {
                        let p = self.position(span.start);
                        JsonNote {
                            line: p.line,
                            column: p.column,
                            message,
                        }
                    })
                    .collect(),
            };
            // Serializing plain strings and integers cannot fail.
            out.push_str(&serde_json::to_string(&json).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for SpecErrors {}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Keeps a span inside the text and on character boundaries, so rendering never
/// fails on a span that a parser reported at end of input.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(source: &str, spans: &[Range<usize>]) -> SpecErrors {
        SpecErrors {
            path: "spec.toml".to_owned(),
            source: source.to_owned(),
            diagnostics: spans
                .iter()
                .map(|s| Diagnostic::new(s.clone(), "wrong", "here"))
                .collect(),
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let e = errors("ab\näb\n", &[]);
        let table = [
            (0, (1, 1)),
            (2, (1, 3)),
            (3, (2, 1)),
            (5, (2, 2)), // after the two-byte `ä`
            (4, (2, 1)), // inside `ä`: moved back to its start
            (7, (3, 1)),
            (999, (3, 1)),
        ];
        for (offset, expected) in table {
            assert_eq!(e.line_column(offset), expected, "offset {offset}");
        }
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)] // a reversed span is one of the cases
    fn spans_outside_the_text_still_render() {
        for source in ["", "x", "a = \"ü", "\n\n"] {
            let e = errors(source, &[0..0, 5..2, 100..200, 1..1000]);
            let text = e.render();
            assert!(text.ends_with("error: spec.toml has 4 errors\n"), "{text}");
            assert_eq!(e.render_json().lines().count(), 4);
        }
    }

    #[test]
    fn json_has_one_object_per_diagnostic_in_file_order() {
        let mut e = errors("a\nbc\n", &[3..4, 0..1]);
        e.diagnostics[0].help = Some("try `x`".to_owned());
        let lines: Vec<serde_json::Value> = e
            .render_json()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["line"], 1);
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["column"], 2);
        assert_eq!(lines[1]["help"], "try `x`");
        assert_eq!(lines[0]["help"], serde_json::Value::Null);
        assert_eq!(lines[0]["file"], "spec.toml");
    }
}
