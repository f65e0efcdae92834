//! The modules import one way: among the modules of each folder (and among the folders of
//! `src/`), no module reaches itself through `crate::` and `super::` paths.
//!
//! The graph is read from the source: every path outside comments and test modules that starts at
//! `crate` or `super`, resolved to the deepest module it names. A path into a sibling (or into a
//! sibling's descendants) is an edge between the two siblings; paths to a module's own ancestors
//! or descendants are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The module a file defines: `src/tiles/clip.rs` → `tiles::clip`, `src/tiles/mod.rs` → `tiles`.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The code of a file that counts: before its test module, without comment lines.
fn code(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

fn identifier(text: &str) -> (&str, &str) {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    text.split_at(end)
}

/// Every path in `code` that starts at `crate` or `super`, as (`crate`/`super`, segments); a
/// `{a::b, c}` group gives one path per item (its first segment is enough to find the module).
fn rooted_paths(code: &str) -> Vec<(&str, Vec<String>)> {
    let mut paths = Vec::new();
    for root in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(root) {
            let start = from + at;
            from = start + root.len();
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut rest = &code[from..];
            let mut segments = Vec::new();
            loop {
                if let Some(group) = rest.strip_prefix('{') {
                    let close = group.find('}').unwrap_or(group.len());
                    for item in group[..close].split(',') {
                        let (first, _) = identifier(item.trim());
                        if !first.is_empty() && first != "self" {
                            let mut path = segments.clone();
                            path.push(first.to_owned());
                            paths.push((&root[..root.len() - 2], path));
                        }
                    }
                    break;
                }
                let (segment, after) = identifier(rest);
                if segment.is_empty() {
                    break;
                }
                segments.push(segment.to_owned());
                match after.strip_prefix("::") {
                    Some(next) => rest = next,
                    None => break,
                }
            }
            paths.push((&root[..root.len() - 2], segments));
        }
    }
    paths
}

/// Sibling → sibling edges, each with the files and paths that make it.
fn edges(src: &Path) -> BTreeMap<Module, BTreeMap<Module, BTreeSet<String>>> {
    let mut files = Vec::new();
    source_files(src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(src, f)).collect();
    let mut edges: BTreeMap<Module, BTreeMap<Module, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let module = module_of(src, file);
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        for (root, segments) in rooted_paths(&code(&text)) {
            let mut target: Module = if root == "crate" { Vec::new() } else { module[..module.len() - 1].to_vec() };
            target.extend(segments.iter().cloned());
            while !target.is_empty() && !modules.contains(&target) {
                target.pop();
            }
            if target.is_empty() || target.starts_with(&module) || module.starts_with(&target) {
                continue;
            }
            let common = module.iter().zip(&target).take_while(|(a, b)| a == b).count();
            let via = format!("{}: {root}::{}", file.strip_prefix(src).unwrap().display(), segments.join("::"));
            edges
                .entry(module[..=common].to_vec())
                .or_default()
                .entry(target[..=common].to_vec())
                .or_default()
                .insert(via);
        }
    }
    edges
}

/// A cycle through the graph, if any, as its modules in order.
fn find_cycle(edges: &BTreeMap<Module, BTreeMap<Module, BTreeSet<String>>>) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        edges: &BTreeMap<Module, BTreeMap<Module, BTreeSet<String>>>,
        done: &mut BTreeSet<Module>,
        path: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = path.iter().position(|m| m == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in edges.get(node).into_iter().flat_map(|targets| targets.keys()) {
            if let Some(cycle) = visit(next, edges, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|start| visit(start, edges, &mut done, &mut Vec::new()))
}

#[test]
fn no_module_reaches_itself() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&src);
    // The graph is read: the pipeline's main edges are there.
    let depends =
        |from: &str, to: &str| edges.get(&vec![from.to_owned()]).is_some_and(|t| t.contains_key(&vec![to.to_owned()]));
    assert!(depends("api", "analysis") && depends("analysis", "atlas") && depends("atlas", "ingest"));
    assert!(!depends("atlas", "analysis") && !depends("stats", "atlas"));
    if let Some(cycle) = find_cycle(&edges) {
        let steps: Vec<String> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .map(|(from, to)| format!("{} -> {} ({:?})", from.join("::"), to.join("::"), edges[from][to]))
            .collect();
        panic!("modules import each other in a circle:\n{}", steps.join("\n"));
    }
}

#[test]
fn a_circle_is_found() {
    // The check itself: two siblings that import each other, and a group import.
    let paths =
        rooted_paths("use super::reading::{Reading, read};\nuse crate::{atlas::Atlas, stats};\nlet x = a::crate::b;");
    assert_eq!(
        paths,
        [
            ("crate", vec!["atlas".to_owned()]),
            ("crate", vec!["stats".to_owned()]),
            ("crate", vec![]),
            ("super", vec!["reading".to_owned(), "Reading".to_owned()]),
            ("super", vec!["reading".to_owned(), "read".to_owned()]),
            ("super", vec!["reading".to_owned()]),
        ]
    );
    let module = |m: &str| m.split("::").map(str::to_owned).collect::<Module>();
    let mut edges: BTreeMap<Module, BTreeMap<Module, BTreeSet<String>>> = BTreeMap::new();
    edges.entry(module("a::x")).or_default().insert(module("a::y"), BTreeSet::new());
    assert_eq!(find_cycle(&edges), None);
    edges.entry(module("a::y")).or_default().insert(module("a::x"), BTreeSet::new());
    assert_eq!(find_cycle(&edges), Some(vec![module("a::x"), module("a::y")]));
}
