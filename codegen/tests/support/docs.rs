//! Shared by the documentation tests (included with `#[path]`): generating a model's
//! artifacts into a scratch directory laid out like the workspace, running Doxygen
//! there exactly as the README says, and checking its XML against the model. Text
//! as a reader sees it (normalized, or rendered from Markdown) is in `docs/text.rs`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::{Member, MemberKind, Model};
use roxmltree::{Document, Node};

use crate::support::{INSTALL_HINT, require_tool};

#[path = "docs/text.rs"]
mod text;

// Each test that includes this file uses some of it (hence `dead_code` above).
#[allow(unused_imports)]
pub use text::{markdown_blocks, normalize};

/// A temporary directory with `generated/` holding every artifact of one model.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn generate(model: &Model) -> Scratch {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let artifacts = codegen::emit::all(model).unwrap_or_else(|e| panic!("{e}"));
        codegen::output::write_all(&dir.path().join("generated"), &artifacts)
            .unwrap_or_else(|e| panic!("{e}"));
        Scratch { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn generated(&self) -> PathBuf {
        self.root().join("generated")
    }

    pub fn header(&self, model: &Model) -> PathBuf {
        self.generated().join("include").join(&model.header.file)
    }

    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        let path = self.generated().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// Documents the generated bindings crate at `lib` with rustdoc, warnings denied, into
/// `out`, for the newest release of `model` (as `cargo doc` with the default
/// features); returns the directory of the crate's pages.
pub fn run_rustdoc(model: &Model, lib: &Path, out: &Path) -> PathBuf {
    let features: Vec<String> = (model.releases.all.iter())
        .map(|r| format!("feature=\"{}\"", codegen::emit::rust::releases::feature(r)))
        .flat_map(|f| ["--cfg".to_owned(), f])
        .collect();
    // The bindings depend on the ABI tables crate beside them, compiled alike.
    let generated = lib
        .ancestors()
        .nth(3)
        .expect("lib.rs is GENERATED/rust/src/lib.rs");
    let cfgs: Vec<&str> = features.iter().map(String::as_str).collect();
    let abi = crate::support::abi_crate(&require_tool("rustc"), generated, &cfgs, "abi")
        .unwrap_or_else(|e| panic!("{e}"));
    crate::support::run(
        Command::new(require_tool("rustdoc"))
            .args([
                "--edition",
                "2024",
                "--crate-name",
                "ebpf_nethooks_bindings",
            ])
            .args(&features)
            .args(abi)
            .args(["-D", "warnings", "-o"])
            .arg(out)
            .arg(lib),
    );
    out.join("ebpf_nethooks_bindings")
}

/// Runs `doxygen generated/docs/Doxyfile` in `root`, as the README says. The Doxyfile
/// is quiet, so every line Doxygen prints is a warning: any line fails the test.
/// Returns the XML output directory.
pub fn run_doxygen(root: &Path) -> PathBuf {
    let doxygen = require_tool("doxygen");
    let output = Command::new(&doxygen)
        .arg("generated/docs/Doxyfile")
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {INSTALL_HINT}", doxygen.display()));
    let printed: Vec<String> = [&output.stdout, &output.stderr]
        .iter()
        .flat_map(|bytes| {
            String::from_utf8_lossy(bytes)
                .into_owned()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert!(
        output.status.success() && printed.is_empty(),
        "doxygen exited with {} and printed {} line(s):\n{}",
        output.status,
        printed.len(),
        printed.join("\n")
    );
    let xml = root.join("generated/docs/xml");
    assert!(
        xml.join("index.xml").is_file(),
        "doxygen wrote no XML index"
    );
    xml
}

/// The text of a node as a reader sees it; Doxygen writes some characters as
/// elements (`&tilde;` becomes `<tilde/>`).
fn text_of(node: Node) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        if d.is_text() {
            out.push_str(d.text().unwrap_or_default());
        } else if d.has_tag_name("tilde") {
            out.push('~');
        }
    }
    out
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn brief(node: Node) -> String {
    child(node, "briefdescription")
        .map(text_of)
        .unwrap_or_default()
}

fn name(node: Node) -> String {
    child(node, "name").map(text_of).unwrap_or_default()
}

/// Names in a `<parameterlist kind=...>` of a member's detailed description, with the
/// direction attribute where there is one.
fn parameter_names(member: Node, kind: &str) -> Vec<(String, Option<String>)> {
    member
        .descendants()
        .filter(|n| n.has_tag_name("parameterlist") && n.attribute("kind") == Some(kind))
        .flat_map(|list| {
            list.descendants()
                .filter(|n| n.has_tag_name("parametername"))
        })
        .map(|n| {
            (
                normalize(&text_of(n)),
                n.attribute("direction").map(str::to_owned),
            )
        })
        .collect()
}

/// One parsed XML file of Doxygen's output.
struct XmlFile {
    text: String,
}

impl XmlFile {
    fn load(path: &Path) -> XmlFile {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        XmlFile { text }
    }

    fn doc(&self) -> Document<'_> {
        Document::parse(&self.text).unwrap_or_else(|e| panic!("Doxygen XML does not parse: {e}"))
    }
}

/// Collects every mismatch, so one run reports all of them.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// `found` (Doxygen's) must be non-empty and read as `expected` (the model's).
    fn brief(&mut self, item: &str, found: &str, expected: &str) {
        let (found, expected) = (normalize(found), normalize(expected));
        self.check(!found.is_empty() && found == expected, || {
            format!("{item}: brief is {found:?}, expected {expected:?}")
        });
    }
}

/// Checks that Doxygen's XML documents every item of `model` in the right section,
/// each with the brief the spec gives it (so escaped text must read as written).
pub fn check_xml(model: &Model, xml: &Path) {
    let index_file = XmlFile::load(&xml.join("index.xml"));
    let index = index_file.doc();
    let compound = |kind: &str, wanted: &str| {
        index
            .root_element()
            .children()
            .find(|c| c.attribute("kind") == Some(kind) && name(*c) == wanted)
            .and_then(|c| c.attribute("refid"))
            .map(|refid| XmlFile::load(&xml.join(format!("{refid}.xml"))))
    };
    let mut problems = Problems::default();

    let header = compound("file", &model.header.file)
        .unwrap_or_else(|| panic!("no file compound for {}", model.header.file));
    let header = header.doc();
    let file_def = header
        .descendants()
        .find(|n| n.has_tag_name("compounddef"))
        .expect("file compounddef");
    problems.brief("the file", &brief(file_def), &model.header.doc.brief);
    let section = |kind: &str| -> Vec<Node> {
        file_def
            .children()
            .filter(|s| s.has_tag_name("sectiondef") && s.attribute("kind") == Some(kind))
            .flat_map(|s| s.children().filter(|m| m.has_tag_name("memberdef")))
            .collect()
    };
    let find = |members: &[Node<'_, '_>], wanted: &str| -> Option<usize> {
        members.iter().position(|m| name(*m) == wanted)
    };

    // Macros: exactly the constants, then the macros of the blocks placed at the end
    // of the header (their text documents them); the helper plumbing stays hidden.
    let defines = section("define");
    let define_names: Vec<String> = defines.iter().map(|m| name(*m)).collect();
    let mut constant_names: Vec<String> = model.constants.iter().map(|c| c.name.clone()).collect();
    let at_end =
        (model.macro_blocks.iter()).filter(|b| b.after.is_none() && b.defined_in.is_none());
    let after_helper = (model.macro_blocks.iter())
        .filter(|b| b.after.is_some() && b.defined_in.is_none() && !b.text.contains("__doxygen"));
    for block in after_helper.chain(at_end) {
        constant_names.extend(block.defined_macros().into_iter().map(str::to_owned));
    }
    problems.check(define_names == constant_names, || {
        format!("macros are {define_names:?}, expected the constants {constant_names:?}")
    });
    for c in &model.constants {
        if let Some(i) = find(&defines, &c.name) {
            problems.brief(&c.name, &brief(defines[i]), &c.doc.brief);
        }
    }

    // Enums (by tag, as C declares them) and every enumerator.
    let enums = section("enum");
    for e in &model.enums {
        let c_name = e.tag.as_deref().unwrap_or(&e.name);
        let Some(i) = find(&enums, c_name) else {
            problems.check(false, || format!("enum {c_name} is not under Enumerations"));
            continue;
        };
        problems.brief(c_name, &brief(enums[i]), &e.doc.brief);
        let values: Vec<Node> = enums[i]
            .children()
            .filter(|n| n.has_tag_name("enumvalue"))
            .collect();
        for v in &e.enumerators {
            let Some(node) = values.iter().find(|n| name(**n) == v.name) else {
                problems.check(false, || format!("enumerator {} is missing", v.name));
                continue;
            };
            problems.brief(&v.name, &brief(*node), &v.doc.brief);
            let deprecated = node.descendants().any(|n| {
                n.has_tag_name("xrefsect")
                    && n.attribute("id")
                        .is_some_and(|id| id.starts_with("deprecated"))
            });
            problems.check(deprecated == v.deprecated.is_some(), || {
                format!("{}: marked deprecated is {deprecated}", v.name)
            });
        }
    }

    // Typedefs: exactly the tagged enums, the structs and the hooks.
    let typedefs = section("typedef");
    let mut expected: Vec<(&str, &str)> = Vec::new();
    expected.extend(
        model
            .enums
            .iter()
            .filter(|e| e.tag.is_some())
            .map(|e| (e.name.as_str(), e.doc.brief.as_str())),
    );
    expected.extend(
        (model.structs.iter())
            .filter(|s| s.defined_in.is_none())
            .map(|s| (s.name.as_str(), s.doc.brief.as_str())),
    );
    expected.extend((model.typedefs.iter()).map(|t| (t.name.as_str(), t.doc.brief.as_str())));
    expected.extend(
        model
            .hooks
            .iter()
            .map(|h| (h.name.as_str(), h.doc.brief.as_str())),
    );
    let mut found: Vec<String> = typedefs.iter().map(|m| name(*m)).collect();
    let mut wanted: Vec<String> = expected.iter().map(|(n, _)| (*n).to_owned()).collect();
    found.sort();
    wanted.sort();
    problems.check(found == wanted, || {
        format!("typedefs are {found:?}, expected {wanted:?}")
    });
    for (typedef, doc) in &expected {
        if let Some(i) = find(&typedefs, typedef) {
            problems.brief(typedef, &brief(typedefs[i]), doc);
        }
    }

    // Hooks: parameter, verdicts, and links to their program and attach types.
    for h in &model.hooks {
        let Some(i) = find(&typedefs, &h.name) else {
            continue;
        };
        let member = typedefs[i];
        let params = parameter_names(member, "param");
        problems.check(
            params == [(h.param.name.clone(), Some("in".to_owned()))],
            || format!("{}: @param entries are {params:?}", h.name),
        );
        let retvals: Vec<String> = parameter_names(member, "retval")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let wanted: Vec<String> = h.retvals.iter().map(|r| r.value.clone()).collect();
        problems.check(retvals == wanted, || {
            format!(
                "{}: @retval entries are {retvals:?}, expected {wanted:?}",
                h.name
            )
        });
        let links: Vec<String> = member
            .descendants()
            .filter(|n| n.has_tag_name("ref"))
            .map(text_of)
            .collect();
        for target in
            std::iter::once(&h.program_type).chain(h.attach_types.iter().map(|a| &a.attach_type))
        {
            problems.check(links.contains(target), || {
                format!("{}: no link to {target} (links: {links:?})", h.name)
            });
        }
    }

    // Helpers: real functions, with their parameters, directions and return values.
    let functions = section("func");
    let function_names: Vec<String> = functions.iter().map(|m| name(*m)).collect();
    let helper_names: Vec<String> = model.helpers.iter().map(|h| h.name.clone()).collect();
    problems.check(function_names == helper_names, || {
        format!("functions are {function_names:?}, expected the helpers {helper_names:?}")
    });
    for h in &model.helpers {
        let Some(i) = find(&functions, &h.name) else {
            continue;
        };
        let f = functions[i];
        problems.brief(&h.name, &brief(f), &h.doc.brief);
        let declared: Vec<(String, String)> = f
            .children()
            .filter(|n| n.has_tag_name("param"))
            .map(|p| {
                let ty = child(p, "type").map(text_of).unwrap_or_default();
                let decl = child(p, "declname").map(text_of).unwrap_or_default();
                (ty.replace(' ', ""), decl)
            })
            .collect();
        let wanted: Vec<(String, String)> = h
            .params
            .iter()
            .map(|p| (p.ty.c_spelling(model).replace(' ', ""), p.name.clone()))
            .collect();
        problems.check(declared == wanted, || {
            format!(
                "{}: parameters are {declared:?}, expected {wanted:?}",
                h.name
            )
        });
        let documented = parameter_names(f, "param");
        let wanted: Vec<(String, Option<String>)> = h
            .params
            .iter()
            .map(|p| (p.name.clone(), Some(p.direction.as_str().to_owned())))
            .collect();
        problems.check(documented == wanted, || {
            format!(
                "{}: @param entries are {documented:?}, expected {wanted:?}",
                h.name
            )
        });
        let retvals: Vec<String> = parameter_names(f, "retval")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let wanted: Vec<String> = h.returns.values.iter().map(|r| r.value.clone()).collect();
        problems.check(retvals == wanted, || {
            format!(
                "{}: @retval entries are {retvals:?}, expected {wanted:?}",
                h.name
            )
        });
        let has_return = f
            .descendants()
            .any(|n| n.has_tag_name("simplesect") && n.attribute("kind") == Some("return"));
        problems.check(has_return == h.returns.doc.is_some(), || {
            format!("{}: has @return is {has_return}", h.name)
        });
    }

    // Structs (by tag) and every member. Doxygen lists an anonymous member of the
    // struct itself as a variable named `@N`; anonymous members nested in those are
    // not written to the XML by Doxygen, so their named members are what is checked.
    for s in &model.structs {
        let c_name = s.tag.as_deref().unwrap_or(&s.name);
        let Some(file) = compound("struct", c_name) else {
            problems.check(false, || {
                format!("struct {c_name} is not under Data Structures")
            });
            continue;
        };
        let doc = file.doc();
        let def = doc
            .descendants()
            .find(|n| n.has_tag_name("compounddef"))
            .expect("struct compounddef");
        problems.brief(c_name, &brief(def), &s.doc.brief);
        let variables: Vec<Node> = def
            .descendants()
            .filter(|n| n.has_tag_name("memberdef") && n.attribute("kind") == Some("variable"))
            .collect();
        for (_, member) in s.leaf_fields() {
            let field = member.name().unwrap_or_default();
            match variables.iter().find(|v| name(**v) == field) {
                Some(v) => {
                    problems.brief(&format!("{c_name}.{field}"), &brief(*v), &member.doc.brief)
                }
                None => problems.check(false, || format!("{c_name}.{field} is missing")),
            }
        }
        let anonymous: Vec<String> = variables
            .iter()
            .filter(|v| name(**v).starts_with('@'))
            .map(|v| normalize(&brief(*v)))
            .collect();
        for m in s.members.iter().filter(|m| is_anonymous(m)) {
            problems.check(anonymous.contains(&normalize(&m.doc.brief)), || {
                format!(
                    "{c_name}: no anonymous member documented as {:?} (found {anonymous:?})",
                    m.doc.brief
                )
            });
        }
    }

    assert!(
        problems.0.is_empty(),
        "Doxygen's XML disagrees with the model in {} place(s):\n{}",
        problems.0.len(),
        problems.0.join("\n")
    );
}

fn is_anonymous(member: &Member) -> bool {
    matches!(member.kind, MemberKind::Anonymous { .. })
}
