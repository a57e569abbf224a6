//! Text written line by line at an indentation depth, starting with the
//! generated-file banner: the core that the Rust and C writers share. Each writer
//! dereferences to its [`Lines`], so `line`, `lines` and `blank` are these.

use std::fmt::{Display, Write as _};

use crate::model::Model;

use super::artifact::banner;

/// Four spaces: one level of indentation in every generated source file.
pub(crate) const INDENT: &str = "    ";

/// Implements `Deref`/`DerefMut` to the `Lines` in field `out` of a writer.
macro_rules! deref_to_lines {
    ($writer:ty) => {
        impl std::ops::Deref for $writer {
            type Target = $crate::emit::lines::Lines;
            fn deref(&self) -> &Self::Target {
                &self.out
            }
        }

        impl std::ops::DerefMut for $writer {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.out
            }
        }
    };
}
pub(crate) use deref_to_lines;

pub(crate) struct Lines {
    pub(crate) text: String,
    /// Levels of [`INDENT`] before each line.
    pub(crate) depth: usize,
}

impl Lines {
    /// A file whose first line is the banner as a `comment` (`//`) line.
    pub(crate) fn new(model: &Model, comment: &str) -> Lines {
        let mut text = String::with_capacity(64 * 1024);
        let _ = writeln!(text, "{comment} {}", banner(model));
        Lines { text, depth: 0 }
    }

    /// Empty text at `depth`, for writers' unit tests.
    #[cfg(test)]
    pub(crate) fn at_depth(depth: usize) -> Lines {
        Lines {
            text: String::new(),
            depth,
        }
    }

    /// One line at the current indentation (an empty `line` stays empty). Takes
    /// `format_args!` as well as text, so a formatted line is written in place.
    pub(crate) fn line(&mut self, line: impl Display) {
        let start = self.text.len();
        self.indent();
        let indented = self.text.len();
        let _ = write!(self.text, "{line}");
        if self.text.len() == indented {
            self.text.truncate(start);
        }
        self.text.push('\n');
    }

    /// Several lines of fixed text, each indented to the current depth. `block`'s
    /// own indentation is kept relative to it.
    pub(crate) fn lines(&mut self, block: &str) {
        for line in block.lines() {
            self.line(line);
        }
    }

    /// An empty line.
    pub(crate) fn blank(&mut self) {
        self.text.push('\n');
    }

    pub(crate) fn finish(self) -> String {
        self.text
    }

    pub(crate) fn indent(&mut self) {
        for _ in 0..self.depth {
            self.text.push_str(INDENT);
        }
    }
}
