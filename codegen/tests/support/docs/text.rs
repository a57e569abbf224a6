//! Text as a reader sees it: whitespace collapsed, and Markdown rendered to the
//! text of its blocks. Shared by the Doxygen check and the Markdown tests.

/// Whitespace collapsed, and a final full stop dropped (Doxygen ends every brief
/// with one).
pub fn normalize(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.trim_end_matches('.').to_owned()
}

/// The text of each block of a Markdown document (paragraph, heading, list item,
/// table cell) as a reader sees it, rendered by pulldown-cmark (rustdoc's parser) with
/// the GitHub extensions on. Math and raw HTML are left out, so text that turned
/// into either does not read as written.
pub fn markdown_blocks(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_TASKLISTS;
    let mut blocks = Vec::new();
    let mut current = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => {
                blocks.push(normalize(&std::mem::take(&mut current)));
            }
            _ => {}
        }
    }
    blocks
}
