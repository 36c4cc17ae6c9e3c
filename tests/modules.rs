//! The module map of `src/lib.rs` holds: every `crate::` path in the library's code (tests inside
//! a module excluded) names a stage at or above the file's own in the pipeline order, and no two
//! files import each other through `crate::` paths, directly or in a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages from the bottom up, as `src/lib.rs` draws them; a stage may import only stages
/// before it in this list (and itself).
const STAGES: &[&str] = &[
    "files", "fonts", "geom", "media", "read", "design", "text", "scene", "blocks", "deck", "layout", "export",
    "build", "author", "publish", "cli",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments, string contents and its `#[cfg(test)]` module.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut in_string = false;
        let mut previous = ' ';
        for c in line.chars() {
            if c == '"' && previous != '\\' {
                in_string = !in_string;
            } else if !in_string && c == '/' && previous == '/' {
                out.pop();
                break;
            } else if !in_string {
                out.push(c);
            }
            previous = c;
        }
        out.push('\n');
    }
    out
}

/// Every `crate::a::b::c` path in `code`, as its segments.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        // `use crate::{a, b::c}` and `use crate::a::{b, c}`: take each leaf's first segments.
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
        let head: Vec<String> = rest[..end].split("::").filter(|s| !s.is_empty()).map(String::from).collect();
        if rest[end..].starts_with('{') {
            let close = rest[end..].find('}').map(|i| end + i).unwrap_or(rest.len());
            for leaf in rest[end + 1..close].split(',') {
                let mut path = head.clone();
                path.extend(leaf.trim().split("::").filter(|s| !s.is_empty() && *s != "self").map(String::from));
                paths.push(path);
            }
        } else {
            paths.push(head);
        }
    }
    paths
}

/// The file a module path lives in: the longest prefix that is a file of `src`.
fn file_of(src: &Path, path: &[String]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let joined: PathBuf = path[..n].iter().collect();
        [src.join(&joined).with_extension("rs"), src.join(&joined).join("mod.rs")].into_iter().find(|p| p.is_file())
    })
}

fn stage_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn imports_run_down_the_pipeline_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let rank = |stage: &str| STAGES.iter().position(|s| *s == stage);
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut upward = Vec::new();
    for file in &files {
        let stage = stage_of(&src, file);
        if stage == "lib" || stage == "main" {
            continue;
        }
        let own = rank(&stage).unwrap_or_else(|| panic!("{} is in no stage of STAGES", file.display()));
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for path in crate_paths(&code) {
            let Some(target) = file_of(&src, &path) else { continue };
            let target_stage = stage_of(&src, &target);
            if let Some(theirs) = rank(&target_stage) {
                if theirs > own {
                    upward.push(format!("{} -> crate::{}", file.display(), path.join("::")));
                }
            }
            if &target != file {
                graph.entry(file.clone()).or_default().insert(target);
            }
        }
    }
    assert!(upward.is_empty(), "imports that run back up the pipeline:\n{}", upward.join("\n"));
    assert!(graph.len() > 20, "the scan found too few imports to mean anything: {}", graph.len());
    // A cycle is a file that reaches itself.
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(PathBuf, Vec<PathBuf>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, trail)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = trail.iter().map(|p| p.display().to_string()).collect();
                    panic!("an import cycle: {} -> {}", names.join(" -> "), start.display());
                }
                if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
}

#[test]
fn the_scanner_sees_paths_in_groups_and_inline() {
    let code = code_of("use crate::read::{diag::Diagnostic, yaml};\nlet x = crate::geom::num(1.0); // crate::cli\n");
    let paths = crate_paths(&code);
    assert!(paths.contains(&vec!["read".to_string(), "diag".to_string(), "Diagnostic".to_string()]), "{paths:?}");
    assert!(paths.contains(&vec!["read".to_string(), "yaml".to_string()]), "{paths:?}");
    assert!(paths.contains(&vec!["geom".to_string(), "num".to_string()]), "{paths:?}");
    assert!(!paths.iter().any(|p| p[0] == "cli"), "a comment is not an import: {paths:?}");
}
