//! certqr-core's top-level modules form a DAG (CONVENTIONS.md, "Layers, as crates";
//! issue 10, "Core as a DAG"): a test that fails, naming every cycle and the lines that
//! make it, when one module comes to depend on another that depends back on it.
//!
//! The graph is read from the source text of `core/src`, not from the compiler:
//! - a module is a top-level module of core: `core/src/x.rs` (or `x/mod.rs`) with every
//!   file under `core/src/x/`; `lib.rs` is the crate root, not a module;
//! - module `x` depends on `y` when non-test code of `x` names `crate::y` (in a `use` or
//!   in a path, grouped `use crate::{y, ...}` included), `super::y` from `x.rs`, or
//!   `super::super::y` from `x/a.rs`, and so on: a `super` that stays inside `x` is
//!   internal. A name the root re-exports (`pub use y::Verifier` in `lib.rs`) counts as
//!   `y`, so `use crate::Verifier` cannot hide a dependency;
//! - left out: comments (doc comments and their links included), string and character
//!   literals, files named `tests.rs`, items behind `#[cfg(test)]` (or
//!   `#[cfg(all(test, ..))]`) and the files of modules declared behind it.
//!
//! Not understood (core uses none of them): `#[path]`, macros that build paths, and
//! glob re-exports at the root.
// Test code: a failed unwrap or index is a failed test, reported with its location.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const CORE_SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src");

#[test]
fn core_modules_form_a_dag() {
    let graph = core_graph(Path::new(CORE_SOURCE));
    assert!(
        graph.modules.len() >= 10,
        "read too few modules of core: {:?}",
        graph.modules
    );
    let report = cycle_report(&graph);
    assert!(
        report.is_empty(),
        "certqr-core's modules must form a DAG (CONVENTIONS.md, \"Layers, as crates\"); \
         cut these cycles:\n{report}"
    );
}

/// Prints core's dependency graph and its cycles:
/// `cargo test -p certqr-tests --test module_graph -- --ignored --nocapture print`.
#[test]
#[ignore = "prints the graph for a reader; asserts nothing"]
fn print_core_module_graph() {
    let graph = core_graph(Path::new(CORE_SOURCE));
    for (from, targets) in &graph.edges {
        let names: Vec<&str> = targets.keys().map(String::as_str).collect();
        println!("{from} -> {}", names.join(", "));
    }
    println!("{}", cycle_report(&graph));
}

/// The cycle finder itself, on a hand-made graph: two cycles (one of three modules, one
/// of two), a module depending on a cycle without being in it, and a lone module.
#[test]
fn cycle_finder_finds_each_cycle_and_nothing_else() {
    let edges = edges_of(&[
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "d"),
        ("f", "a"),
    ]);
    let modules: BTreeSet<String> = ["a", "b", "c", "d", "e", "f", "g"].map(String::from).into();
    assert_eq!(
        strongly_connected(&modules, &edges),
        [vec!["a", "b", "c"], vec!["d", "e"]]
    );
    assert_eq!(
        elementary_cycles(&["a", "b", "c"].map(String::from), &edges),
        [vec!["a", "b", "c", "a"]]
    );

    // Two cycles through the same pair of modules: both are listed.
    let edges = edges_of(&[("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")]);
    assert_eq!(
        elementary_cycles(&["a", "b", "c"].map(String::from), &edges),
        [vec!["a", "b", "a"], vec!["a", "b", "c", "a"]]
    );

    let acyclic = edges_of(&[("a", "b"), ("b", "c"), ("a", "c")]);
    assert!(strongly_connected(&modules, &acyclic).is_empty());
}

/// The reader of source text: which references count and which do not.
#[test]
fn references_are_read_from_code_only() {
    let modules: BTreeSet<String> = ["cbor", "keys", "trust", "verify", "website"]
        .map(String::from)
        .into();
    let reexports = reexports_of(
        "pub mod verify;\npub use verify::{Verdict, Verifier as Checker};\npub use crate::keys::KeyId;",
        &modules,
    );
    let source = r#"//! Links to [`crate::verify`] in docs do not count.
use crate::{cbor::Value, keys};
use super::trust::TrustList;
/// Nor in item docs: [`crate::website::Trick`].
fn f() -> crate::Checker {
    let text = "crate::website::classify"; // crate::website in a comment
    let c = '"'; /* crate::website, nested /* comment */ */
    let _ = crate::KeyId;
    let _ = crate::root_function();
}
mod inner {
    use super::f; // this file's own module
}
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::website::Trick;
}
#[cfg(all(test, feature = "x"))]
fn helper() { crate::website::x(); }
#[cfg(test)]
mod fixtures;
"#;
    let read = read_file(source, 1, &modules, &reexports);
    let found: Vec<(&str, usize)> = read
        .references
        .iter()
        .map(|(module, line)| (module.as_str(), *line))
        .collect();
    assert_eq!(
        found,
        [
            ("cbor", 2),
            ("keys", 2),
            ("trust", 3),
            ("verify", 5),
            ("keys", 8)
        ]
    );
    assert_eq!(read.test_only_modules, ["fixtures"]);

    // In a module's subfile, one `super` is the module itself; two reach the root.
    let nested =
        "use super::Fields;\nuse super::super::cbor::Value;\nuse super::super::{keys, Thing};";
    let found: Vec<String> = read_file(nested, 2, &modules, &reexports)
        .references
        .into_iter()
        .map(|(module, _)| module)
        .collect();
    assert_eq!(found, ["cbor", "keys"]);

    assert!(
        read_file("#![cfg(test)]\nuse crate::keys;", 1, &modules, &reexports)
            .references
            .is_empty()
    );
}

// --- The graph ---------------------------------------------------------------------------

/// Top-level modules and, per module, the modules it refers to with where it does.
struct Graph {
    modules: BTreeSet<String>,
    /// from → to → places (`core/src/file.rs:line`).
    edges: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

fn core_graph(source: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(source, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|file| module_of(source, file))
        .collect();
    let reexports = reexports_of(
        &fs::read_to_string(source.join("lib.rs")).unwrap(),
        &modules,
    );

    let mut read = BTreeMap::new();
    for file in &files {
        let (Some(module), Some(depth)) = (module_of(source, file), depth_of(source, file)) else {
            continue;
        };
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let text = fs::read_to_string(file).unwrap();
        read.insert(
            file.clone(),
            (module, read_file(&text, depth, &modules, &reexports)),
        );
    }

    // Files of modules declared behind `#[cfg(test)]`, and everything under them.
    let mut test_only = Vec::new();
    for (file, (_, file_read)) in &read {
        let children = if file.file_name().is_some_and(|name| name == "mod.rs") {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        for name in &file_read.test_only_modules {
            test_only.push(children.join(format!("{name}.rs")));
            test_only.push(children.join(name));
        }
    }

    let mut edges: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (file, (module, file_read)) in &read {
        if test_only.iter().any(|excluded| file.starts_with(excluded)) {
            continue;
        }
        let shown = Path::new("core/src").join(file.strip_prefix(source).unwrap());
        for (target, line) in &file_read.references {
            if target != module {
                edges
                    .entry(module.clone())
                    .or_default()
                    .entry(target.clone())
                    .or_default()
                    .push(format!("{}:{line}", shown.display()));
            }
        }
    }
    Graph { modules, edges }
}

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// `x` for `core/src/x.rs`, `core/src/x/mod.rs` and every file under `core/src/x/`;
/// `None` for the root, `lib.rs`.
fn module_of(source: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(source).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first.strip_suffix(".rs") {
        Some("lib") => None,
        Some(module) => Some(module.to_owned()),
        None => Some(first.to_owned()),
    }
}

/// How many `super`s lead from this file to the crate root: 1 for `x.rs` and `x/mod.rs`,
/// 2 for `x/a.rs`, ...
fn depth_of(source: &Path, file: &Path) -> Option<usize> {
    let relative = file.strip_prefix(source).ok()?;
    let components = relative.components().count();
    Some(if relative.ends_with("mod.rs") {
        components - 1
    } else {
        components
    })
}

/// Names the root re-exports, with the module each comes from (`pub use verify::Verifier`).
fn reexports_of(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let tokens = tokens_of(&code_only(lib));
    let mut reexports = BTreeMap::new();
    for (index, token) in tokens.iter().enumerate() {
        if token.text == "use" {
            let mut leaves = Vec::new();
            use_tree(&tokens, index + 1, &mut Vec::new(), &mut leaves);
            for (path, name) in leaves {
                let path: Vec<&String> = path.iter().skip_while(|s| *s == "crate").collect();
                if let Some(module) = path.first().filter(|m| modules.contains(m.as_str())) {
                    reexports.insert(name, (*module).clone());
                }
            }
        }
    }
    reexports
}

/// The leaves of a `use` tree starting at `index`: (path before the name, name or alias).
fn use_tree(
    tokens: &[Token],
    mut index: usize,
    prefix: &mut Vec<String>,
    leaves: &mut Vec<(Vec<String>, String)>,
) -> usize {
    let depth = prefix.len();
    while let Some(token) = tokens.get(index) {
        match token.text.as_str() {
            "::" => index += 1,
            "{" => {
                index += 1;
                while tokens.get(index).is_some_and(|t| t.text != "}") {
                    index = use_tree(tokens, index, prefix, leaves);
                    if tokens.get(index).is_some_and(|t| t.text == ",") {
                        index += 1;
                    }
                }
                index += 1;
                break;
            }
            name if is_identifier(name) => {
                index += 1;
                if tokens.get(index).is_some_and(|t| t.text == "::") {
                    prefix.push(name.to_owned());
                    continue;
                }
                let mut alias = name.to_owned();
                if tokens.get(index).is_some_and(|t| t.text == "as") {
                    alias = tokens.get(index + 1).map_or(alias, |t| t.text.clone());
                    index += 2;
                }
                leaves.push((prefix.clone(), alias));
                break;
            }
            _ => break, // `*`, `;`, `,`, `}`
        }
    }
    prefix.truncate(depth);
    index
}

// --- Reading one file ---------------------------------------------------------------------

struct FileRead {
    /// Top-level modules named by non-test code, with the line of each mention.
    references: Vec<(String, usize)>,
    /// Modules this file declares behind `#[cfg(test)]` (`mod fixtures;`).
    test_only_modules: Vec<String>,
}

/// `depth`: how many `super`s lead from this file to the crate root ([`depth_of`]).
fn read_file(
    text: &str,
    depth: usize,
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> FileRead {
    let tokens = tokens_of(&code_only(text));
    let mut read = FileRead {
        references: Vec::new(),
        test_only_modules: Vec::new(),
    };
    // Brace depths at which inline `mod name { ... }` blocks opened: each adds a `super`.
    let mut inline_modules: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        let next = |offset: usize| tokens.get(index + offset).map_or("", |t| t.text.as_str());
        if token.text == "#" && next(1) == "!" && next(2) == "[" && is_test_cfg(&tokens, index + 3)
        {
            return FileRead {
                references: Vec::new(),
                test_only_modules: Vec::new(),
            };
        }
        if token.text == "#" && next(1) == "[" && is_test_cfg(&tokens, index + 2) {
            let (end, declared) = skip_item(&tokens, index);
            read.test_only_modules.extend(declared);
            index = end;
            continue;
        }
        match token.text.as_str() {
            "{" => braces += 1,
            "}" => {
                braces = braces.saturating_sub(1);
                if inline_modules.last() == Some(&braces) {
                    inline_modules.pop();
                }
            }
            "mod" if is_identifier(next(1)) && next(2) == "{" => {
                inline_modules.push(braces);
            }
            "crate" if next(1) == "::" => {
                for (name, line) in first_segments(&tokens, index + 2) {
                    if let Some(module) = root_module(&name, modules, reexports) {
                        read.references.push((module, line));
                    }
                }
            }
            "super" if index == 0 || tokens[index - 1].text != "::" => {
                let mut supers = 0;
                while tokens
                    .get(index + 2 * supers)
                    .is_some_and(|t| t.text == "super")
                    && tokens
                        .get(index + 2 * supers + 1)
                        .is_some_and(|t| t.text == "::")
                {
                    supers += 1;
                }
                if supers > 0 && supers >= depth + inline_modules.len() {
                    for (name, line) in first_segments(&tokens, index + 2 * supers) {
                        if let Some(module) = root_module(&name, modules, reexports) {
                            read.references.push((module, line));
                        }
                    }
                }
                if supers > 0 {
                    index += 2 * supers;
                    continue;
                }
            }
            _ => {}
        }
        index += 1;
    }
    read
}

/// A name at the crate root: a module, or a name the root re-exports from one.
fn root_module(
    name: &str,
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> Option<String> {
    if modules.contains(name) {
        Some(name.to_owned())
    } else {
        reexports.get(name).cloned()
    }
}

/// After `crate::`: the one segment `x`, or each first segment of `{x::a, y, z as w}`.
fn first_segments(tokens: &[Token], index: usize) -> Vec<(String, usize)> {
    let Some(token) = tokens.get(index) else {
        return Vec::new();
    };
    if token.text != "{" {
        return vec![(token.text.clone(), token.line)];
    }
    let mut segments = Vec::new();
    let mut nesting = 0usize;
    let mut at_entry_start = true;
    for token in &tokens[index + 1..] {
        match token.text.as_str() {
            "{" => nesting += 1,
            "}" if nesting == 0 => break,
            "}" => nesting -= 1,
            "," if nesting == 0 => {
                at_entry_start = true;
                continue;
            }
            name if at_entry_start && is_identifier(name) => {
                segments.push((name.to_owned(), token.line));
            }
            _ => {}
        }
        at_entry_start = false;
    }
    segments
}

/// Whether the attribute whose bracket content starts at `index` is `cfg(test)` or
/// `cfg(all(.., test, ..))`.
fn is_test_cfg(tokens: &[Token], index: usize) -> bool {
    let text = |offset: usize| tokens.get(index + offset).map_or("", |t| t.text.as_str());
    if text(0) != "cfg" || text(1) != "(" {
        return false;
    }
    if text(2) == "test" && text(3) == ")" {
        return true;
    }
    if text(2) != "all" || text(3) != "(" {
        return false;
    }
    let mut nesting = 0usize;
    for token in tokens.iter().skip(index + 4) {
        match token.text.as_str() {
            "(" => nesting += 1,
            ")" if nesting == 0 => return false,
            ")" => nesting -= 1,
            "test" if nesting == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Skip the attributes starting at `index` and the item they apply to. Returns where the
/// next item starts, and the module's name when the item is `mod name;`.
fn skip_item(tokens: &[Token], mut index: usize) -> (usize, Option<String>) {
    while tokens.get(index).is_some_and(|t| t.text == "#") {
        index += 1; // `#`, then `!`?, then the balanced `[...]`
        if tokens.get(index).is_some_and(|t| t.text == "!") {
            index += 1;
        }
        index = past_balanced(tokens, index);
    }
    let start = index;
    let mut nesting = 0usize;
    while let Some(token) = tokens.get(index) {
        index += 1;
        match token.text.as_str() {
            "{" | "(" | "[" => nesting += 1,
            "}" | ")" | "]" => {
                nesting = nesting.saturating_sub(1);
                if nesting == 0 && token.text == "}" {
                    break;
                }
            }
            ";" if nesting == 0 => break,
            _ => {}
        }
    }
    let item: Vec<&str> = tokens[start..index]
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let declared = match item.as_slice() {
        [.., "mod", name, ";"] => Some((*name).to_owned()),
        _ => None,
    };
    (index, declared)
}

/// The index after the bracketed group opening at `index`.
fn past_balanced(tokens: &[Token], mut index: usize) -> usize {
    let mut nesting = 0usize;
    while let Some(token) = tokens.get(index) {
        index += 1;
        match token.text.as_str() {
            "{" | "(" | "[" => nesting += 1,
            "}" | ")" | "]" => {
                nesting = nesting.saturating_sub(1);
                if nesting == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    index
}

// --- Source text to tokens ----------------------------------------------------------------

struct Token {
    text: String,
    line: usize,
}

fn is_identifier(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
}

/// Identifiers, `::` and single punctuation characters, each with its line.
fn tokens_of(code: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut characters = code.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\n' {
            line += 1;
        } else if character.is_alphanumeric() || character == '_' {
            let mut text = character.to_string();
            while let Some(&next) = characters.peek() {
                if !(next.is_alphanumeric() || next == '_') {
                    break;
                }
                text.push(next);
                characters.next();
            }
            tokens.push(Token { text, line });
        } else if character == ':' && characters.peek() == Some(&':') {
            characters.next();
            tokens.push(Token {
                text: "::".to_owned(),
                line,
            });
        } else if !character.is_whitespace() {
            tokens.push(Token {
                text: character.to_string(),
                line,
            });
        }
    }
    tokens
}

/// The source with comments (doc comments too), string and character literals replaced
/// by spaces; line breaks are kept so that line numbers stay right.
fn code_only(source: &str) -> String {
    let characters: Vec<char> = source.chars().collect();
    let mut code = String::with_capacity(source.len());
    let blank = |code: &mut String, text: &[char]| {
        code.extend(text.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }));
    };
    let mut index = 0;
    while index < characters.len() {
        let rest = &characters[index..];
        let previous_is_word =
            index > 0 && (characters[index - 1].is_alphanumeric() || characters[index - 1] == '_');
        let length = if rest.starts_with(&['/', '/']) {
            rest.iter().position(|&c| c == '\n').unwrap_or(rest.len())
        } else if rest.starts_with(&['/', '*']) {
            block_comment_length(rest)
        } else if rest[0] == '"' {
            string_length(rest, 1, 0)
        } else if !previous_is_word && (rest[0] == 'r' || rest.starts_with(&['b', 'r'])) {
            let start = if rest[0] == 'r' { 1 } else { 2 };
            let hashes = rest[start..].iter().take_while(|&&c| c == '#').count();
            if rest.get(start + hashes) == Some(&'"') {
                string_length(rest, start + hashes + 1, hashes)
            } else {
                0
            }
        } else if rest[0] == '\'' {
            // A character literal (`'x'`, `'\n'`, `'\u{4e2d}'`), not a lifetime (`'a`).
            match rest.get(1) {
                Some('\\') => rest
                    .iter()
                    .skip(3)
                    .position(|&c| c == '\'')
                    .map_or(1, |end| end + 4),
                Some(_) if rest.get(2) == Some(&'\'') => 3,
                _ => 0,
            }
        } else {
            0
        };
        if length == 0 {
            code.push(rest[0]);
            index += 1;
        } else {
            blank(&mut code, &rest[..length]);
            index += length;
        }
    }
    code
}

/// The length of the (nested) block comment at the start of `text`.
fn block_comment_length(text: &[char]) -> usize {
    let mut nesting = 0usize;
    let mut index = 0;
    while index < text.len() {
        if text[index..].starts_with(&['/', '*']) {
            nesting += 1;
            index += 2;
        } else if text[index..].starts_with(&['*', '/']) {
            nesting -= 1;
            index += 2;
            if nesting == 0 {
                return index;
            }
        } else {
            index += 1;
        }
    }
    text.len()
}

/// The length of the string literal at the start of `text`, whose content starts at
/// `content`; `hashes` > 0 for a raw string (no escapes, ends at `"` and as many `#`s).
fn string_length(text: &[char], content: usize, hashes: usize) -> usize {
    let mut index = content;
    while index < text.len() {
        match text[index] {
            '\\' if hashes == 0 && content == 1 => index += 2,
            '"' if text[index + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes =>
            {
                return index + 1 + hashes;
            }
            _ => index += 1,
        }
    }
    text.len()
}

// --- Cycles -------------------------------------------------------------------------------

type Edges = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn edges_of(pairs: &[(&str, &str)]) -> Edges {
    let mut edges = Edges::new();
    for (from, to) in pairs {
        edges
            .entry((*from).to_owned())
            .or_default()
            .insert((*to).to_owned(), Vec::new());
    }
    edges
}

fn targets<'a>(edges: &'a Edges, module: &str) -> impl Iterator<Item = &'a String> {
    edges.get(module).into_iter().flat_map(|to| to.keys())
}

/// The strongly connected components of more than one module (Tarjan), each sorted, in
/// order of their first module.
fn strongly_connected(modules: &BTreeSet<String>, edges: &Edges) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        edges: &'a Edges,
        next_index: usize,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        components: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, module: &'a str) {
            self.index.insert(module, self.next_index);
            self.low.insert(module, self.next_index);
            self.next_index += 1;
            self.stack.push(module);
            for target in targets(self.edges, module) {
                if !self.index.contains_key(target.as_str()) {
                    self.visit(target);
                    let low = self.low[module].min(self.low[target.as_str()]);
                    self.low.insert(module, low);
                } else if self.stack.contains(&target.as_str()) {
                    let low = self.low[module].min(self.index[target.as_str()]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    component.push(member.to_owned());
                    if member == module {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.components.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        edges,
        next_index: 0,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        components: Vec::new(),
    };
    for module in modules {
        if !tarjan.index.contains_key(module.as_str()) {
            tarjan.visit(module);
        }
    }
    let mut components = tarjan.components;
    components.sort();
    components
}

/// Every elementary cycle within one strongly connected component, each starting at its
/// smallest module (a depth-first search from each module through larger ones only).
fn elementary_cycles(component: &[String], edges: &Edges) -> Vec<Vec<String>> {
    fn extend(
        path: &mut Vec<String>,
        start: &str,
        component: &[String],
        edges: &Edges,
        cycles: &mut Vec<Vec<String>>,
    ) {
        let last = path.last().unwrap().clone();
        for target in targets(edges, &last) {
            if target == start {
                let mut cycle = path.clone();
                cycle.push(target.clone());
                cycles.push(cycle);
            } else if target.as_str() > start
                && component.contains(target)
                && !path.contains(target)
            {
                path.push(target.clone());
                extend(path, start, component, edges, cycles);
                path.pop();
            }
        }
    }
    let mut cycles = Vec::new();
    for start in component {
        extend(
            &mut vec![start.clone()],
            start,
            component,
            edges,
            &mut cycles,
        );
    }
    cycles.sort();
    cycles
}

/// Each cycle of the graph, and the places that make each of its edges; empty when none.
fn cycle_report(graph: &Graph) -> String {
    let mut report = String::new();
    for component in strongly_connected(&graph.modules, &graph.edges) {
        report += &format!("modules in a cycle: {}\n", component.join(", "));
        for cycle in elementary_cycles(&component, &graph.edges) {
            report += &format!("  cycle: {}\n", cycle.join(" -> "));
        }
        for from in &component {
            for (to, places) in graph.edges.get(from).into_iter().flatten() {
                if component.contains(to) {
                    report += &format!("  {from} -> {to}: {}\n", places.join(", "));
                }
            }
        }
    }
    report
}
