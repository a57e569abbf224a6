//! The Markdown API reference, read back with pulldown-cmark (rustdoc's Markdown
//! parser, with GitHub's extensions): every item of the spec has a heading in its
//! section, each with its meaning; struct offsets and sizes are the layout engine's;
//! values, IDs, parameters and attach types are listed; every link lands on a heading.

#[path = "support/docs.rs"]
mod docs;
mod support;

use codegen::model::{Member, MemberKind, Model};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One heading and what follows it up to the next heading.
#[derive(Debug, Default)]
struct Section {
    level: u8,
    heading: String,
    paragraphs: Vec<String>,
    /// Each table as rows of cell texts, header row first.
    tables: Vec<Vec<Vec<String>>>,
}

struct Reference {
    sections: Vec<Section>,
    links: Vec<String>,
}

fn read(model: &Model) -> Reference {
    let markdown = codegen::emit::markdown::emit(model).unwrap_or_else(|e| panic!("{e}"));
    let mut sections = vec![Section::default()];
    let mut links = Vec::new();
    let mut text = String::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH;
    for event in Parser::new_ext(&markdown, options) {
        let section = sections.last_mut().expect("a section");
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                text.clear();
                sections.push(Section {
                    level: match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        _ => 4,
                    },
                    ..Section::default()
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Start(Tag::Table(_)) => section.tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                section.tables.last_mut().expect("a table").push(Vec::new());
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::End(TagEnd::Heading(_)) => section.heading = std::mem::take(&mut text),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock) => {
                section
                    .paragraphs
                    .push(docs::normalize(&std::mem::take(&mut text)));
            }
            Event::End(TagEnd::TableCell) => {
                let table = section.tables.last_mut().expect("a table");
                let row = table.last_mut().expect("a row");
                row.push(std::mem::take(&mut text).trim().to_owned());
            }
            _ => {}
        }
    }
    Reference { sections, links }
}

impl Reference {
    fn item(&self, name: &str) -> &Section {
        self.sections
            .iter()
            .find(|s| s.level == 3 && s.heading == name)
            .unwrap_or_else(|| panic!("no heading for {name}"))
    }
}

#[test]
fn every_item_has_a_heading_in_its_section_in_spec_order() {
    let model = support::model();
    let reference = read(&model);
    let expected: Vec<(&str, Vec<&str>)> = vec![
        (
            "Constants",
            model.constants.iter().map(|c| c.name.as_str()).collect(),
        ),
        (
            "Enums",
            model.enums.iter().map(|e| e.name.as_str()).collect(),
        ),
        (
            "Structs",
            // The typedefs follow the structs they name.
            (model.structs.iter().map(|s| s.name.as_str()))
                .chain(model.typedefs.iter().map(|t| t.name.as_str()))
                .collect(),
        ),
        (
            "Hooks",
            model.hooks.iter().map(|h| h.name.as_str()).collect(),
        ),
        (
            "Helpers",
            model.helpers.iter().map(|h| h.name.as_str()).collect(),
        ),
    ];
    let mut found: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in &reference.sections {
        match s.level {
            2 if s.heading != "Contents" => found.push((&s.heading, Vec::new())),
            3 => found
                .last_mut()
                .unwrap_or_else(|| panic!("{} is outside a section", s.heading))
                .1
                .push(&s.heading),
            _ => {}
        }
    }
    assert_eq!(found, expected);
}

#[test]
fn every_doc_paragraph_of_the_spec_is_in_the_reference() {
    let model = support::model();
    let markdown = codegen::emit::markdown::emit(&model).unwrap_or_else(|e| panic!("{e}"));
    let blocks = docs::markdown_blocks(&markdown);
    let mut paragraphs: Vec<(String, String)> = Vec::new();
    let mut add = |what: String, doc: &codegen::model::Doc| {
        for p in doc.paragraphs() {
            paragraphs.push((what.clone(), p.to_owned()));
        }
    };
    add("the header".into(), &model.header.doc);
    for c in &model.constants {
        add(c.name.clone(), &c.doc);
    }
    for e in &model.enums {
        add(e.name.clone(), &e.doc);
        for v in &e.enumerators {
            add(v.name.clone(), &v.doc);
        }
    }
    for s in &model.structs {
        add(s.name.clone(), &s.doc);
        let mut stack: Vec<&Member> = s.members.iter().collect();
        while let Some(m) = stack.pop() {
            add(
                format!("{}.{}", s.name, m.name().unwrap_or("(anonymous)")),
                &m.doc,
            );
            if let MemberKind::Anonymous { members, .. } = &m.kind {
                stack.extend(members);
            }
        }
    }
    for h in &model.hooks {
        add(h.name.clone(), &h.doc);
        add(format!("{} parameter", h.name), &h.param.doc);
        for r in &h.retvals {
            add(format!("{} returning {}", h.name, r.value), &r.doc);
        }
        for a in &h.attach_types {
            add(a.attach_type.clone(), &a.doc);
        }
    }
    for h in &model.helpers {
        add(h.name.clone(), &h.doc);
        for p in &h.params {
            add(format!("{}({})", h.name, p.name), &p.doc);
        }
        for r in &h.returns.values {
            add(format!("{} returning {}", h.name, r.value), &r.doc);
        }
        if let Some(doc) = &h.returns.doc {
            add(format!("{} return value", h.name), doc);
        }
    }
    let missing: Vec<String> = paragraphs
        .iter()
        .filter(|(_, p)| !blocks.iter().any(|b| b.contains(&docs::normalize(p))))
        .map(|(what, p)| format!("{what}: {p:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the reference:\n{}",
        missing.join("\n")
    );
}

/// Depth-first rows of a struct's member table: (offset, size, member name or kind).
fn expected_rows(members: &[Member], out: &mut Vec<(String, String, String)>) {
    for m in members {
        let name = match &m.kind {
            MemberKind::Field { name, .. } => name.clone(),
            MemberKind::Anonymous { aggregate, .. } => {
                format!("(anonymous {})", aggregate.c_keyword())
            }
        };
        out.push((
            m.placement.offset.to_string(),
            m.placement.size.to_string(),
            name,
        ));
        if let MemberKind::Anonymous { members, .. } = &m.kind {
            expected_rows(members, out);
        }
    }
}

#[test]
fn struct_offsets_and_sizes_are_the_layout_engines() {
    // Loading runs the layout engine: the model's numbers are the engine's.
    let model = support::model();
    let reference = read(&model);
    for s in &model.structs {
        let section = reference.item(&s.name);
        let size = format!("Size {} bytes, alignment {}", s.layout.size, s.layout.align);
        assert!(
            section.paragraphs.iter().any(|p| p.contains(&size)),
            "{}: no {size:?} in {:?}",
            s.name,
            section.paragraphs
        );
        let table = section
            .tables
            .first()
            .unwrap_or_else(|| panic!("{}: no member table", s.name));
        assert_eq!(table[0][..3], ["Offset", "Size", "Member"], "{}", s.name);
        let found: Vec<(String, String, String)> = table[1..]
            .iter()
            .map(|row| {
                let member = row[2].trim_start_matches(['↳', ' ']).to_owned();
                (row[0].clone(), row[1].clone(), member)
            })
            .collect();
        let mut expected = Vec::new();
        expected_rows(&s.members, &mut expected);
        assert_eq!(found, expected, "{}", s.name);
    }
}

#[test]
fn values_ids_parameters_and_attach_types_are_listed() {
    let model = support::model();
    let reference = read(&model);
    for e in &model.enums {
        let table = &reference.item(&e.name).tables[0];
        let rows: Vec<(String, String)> = table[1..]
            .iter()
            .map(|r| {
                (
                    r[0].clone(),
                    r[1].split(' ').next().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = e
            .enumerators
            .iter()
            .map(|v| (v.name.clone(), v.value.to_string()))
            .collect();
        assert_eq!(rows, expected, "{}", e.name);
    }
    for c in &model.constants {
        let section = reference.item(&c.name);
        let value = format!("Value: {}", c.value);
        assert!(
            section.paragraphs.contains(&value),
            "{}: {:?}",
            c.name,
            section.paragraphs
        );
    }
    for h in &model.helpers {
        let section = reference.item(&h.name);
        let id = format!("ID: {} = {}", model.enumerator(h.id).name, h.id_value);
        assert!(
            section.paragraphs.contains(&id),
            "{}: {:?}",
            h.name,
            section.paragraphs
        );
        let params: Vec<(String, String)> = section.tables[0][1..]
            .iter()
            .map(|r| (r[0].clone(), r[2].clone()))
            .collect();
        let expected: Vec<(String, String)> = h
            .params
            .iter()
            .map(|p| (p.name.clone(), p.direction.as_str().to_owned()))
            .collect();
        assert_eq!(params, expected, "{}", h.name);
    }
    for h in &model.hooks {
        let section = reference.item(&h.name);
        let attach: Vec<[String; 3]> = section.tables[0][1..]
            .iter()
            .map(|r| [r[0].clone(), r[1].clone(), r[2].clone()])
            .collect();
        let expected: Vec<[String; 3]> = h
            .attach_types
            .iter()
            .map(|a| [a.attach_type.clone(), a.section.clone(), a.name.clone()])
            .collect();
        assert_eq!(attach, expected, "{}", h.name);
        let retvals: Vec<String> = section.tables[1][1..]
            .iter()
            .map(|r| r[0].clone())
            .collect();
        let expected: Vec<String> = h.retvals.iter().map(|r| r.value.clone()).collect();
        assert_eq!(retvals, expected, "{}", h.name);
        let program = format!("Program type: {}", h.program_type);
        assert!(
            section.paragraphs.contains(&program),
            "{}: {:?}",
            h.name,
            section.paragraphs
        );
    }
}

/// GitHub's heading anchor: lower case, spaces to `-`, other punctuation but `-` and
/// `_` dropped, and `-1`, `-2` ... added to repeats.
fn github_anchors(headings: &[&str]) -> Vec<String> {
    let mut seen = std::collections::HashMap::new();
    headings
        .iter()
        .map(|h| {
            let base: String = h
                .to_lowercase()
                .chars()
                .filter_map(|c| match c {
                    ' ' => Some('-'),
                    c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                    _ => None,
                })
                .collect();
            let n = seen.entry(base.clone()).or_insert(0);
            let anchor = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            anchor
        })
        .collect()
}

#[test]
fn every_link_lands_on_a_heading_and_every_item_is_in_the_contents() {
    let model = support::model();
    let reference = read(&model);
    let headings: Vec<&str> = reference
        .sections
        .iter()
        .filter(|s| s.level > 0)
        .map(|s| s.heading.as_str())
        .collect();
    let anchors = github_anchors(&headings);
    for link in &reference.links {
        let target = link
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{link} leaves the document"));
        assert!(
            anchors.iter().any(|a| a == target),
            "link {link} has no heading"
        );
    }
    // The contents link to every item heading.
    let items = reference.sections.iter().filter(|s| s.level > 0);
    for (section, anchor) in items.zip(&anchors) {
        if section.level == 3 {
            assert!(
                reference.links.contains(&format!("#{anchor}")),
                "{} is not linked from the contents",
                section.heading
            );
        }
    }
}
