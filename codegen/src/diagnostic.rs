//! Spec errors: what is wrong, where (a byte range of the spec file), and how to fix it.

use std::fmt;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

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
}

impl Diagnostic {
    pub fn new(span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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

impl SpecErrors {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let before = &self.source[..floor_char_boundary(&self.source, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// Renders every diagnostic as rustc does: summary, `--> file:line:column`, the
    /// source line with a caret under the span, and any help.
    pub fn render(&self) -> String {
        let renderer = Renderer::plain();
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            let span = clamp_span(&self.source, diagnostic.span.clone());
            let snippet = Snippet::source(self.source.as_str())
                .path(self.path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(span)
                        .label(diagnostic.label.as_str()),
                );
            let mut group = Level::ERROR
                .primary_title(diagnostic.message.as_str())
                .element(snippet);
            if let Some(help) = &diagnostic.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            out.push_str(&renderer.render(&[group]));
            out.push_str("\n\n");
        }
        let count = self.diagnostics.len();
        out.push_str(&format!(
            "error: {} has {count} error{}\n",
            self.path,
            if count == 1 { "" } else { "s" }
        ));
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
