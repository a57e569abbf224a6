//! `readme_example.rs` is the README's "Testing a program on the host" block byte for
//! byte, below its own `//!` header: the README shows exactly the code whose host
//! tests run there. Lines rustdoc hides (`# fn main() {}`) are the doctest's, not
//! the example's, and are left out.

const README: &str = include_str!("../../../README.md");
const EXAMPLE: &str = include_str!("readme_example.rs");

const HEADING: &str = "\n### Testing a program on the host\n";

/// The first ```` ```rust ```` block after `HEADING`, without the lines rustdoc hides.
fn readme_block() -> String {
    let section = README
        .find(HEADING)
        .unwrap_or_else(|| panic!("the README has no heading {HEADING:?}"));
    let fence = "\n```rust\n";
    let start = section
        + README[section..]
            .find(fence)
            .expect("a ```rust block follows the heading")
        + fence.len();
    let end = start + README[start..].find("```\n").expect("the block ends");
    README[start..end]
        .split_inclusive('\n')
        .filter(|line| {
            let line = line.trim();
            line != "#" && !line.starts_with("# ")
        })
        .collect()
}

/// The example file without its leading `//!` lines and the blank line after them.
fn example_body() -> &'static str {
    let mut rest = EXAMPLE;
    while rest.starts_with("//!") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest.strip_prefix('\n').unwrap_or(rest)
}

#[test]
fn the_example_file_is_the_readme_block() {
    let (readme, example) = (readme_block(), example_body());
    if readme == example {
        return;
    }
    let line = readme
        .lines()
        .zip(example.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| readme.lines().count().min(example.lines().count()));
    panic!(
        "README block and tests/readme_example.rs differ from body line {}:\n\
         README:  {:?}\nexample: {:?}",
        line + 1,
        readme.lines().nth(line),
        example.lines().nth(line)
    );
}
