//! The shape of a pipeline file, before any node kind is consulted.
//!
//! ```yaml
//! name: fashion
//! cache: cache            # optional
//! params: {k_max: 10}     # optional, referenced from nodes as ${k_max}
//! nodes:
//!   cluster:
//!     kind: cluster
//!     inputs: {embeddings: embed}        # slot: node  or  slot: node.output
//!     params: {k_max: ${k_max}}
//! ```

use super::diagnostic::{Sources, SpecDiagnostic};
use super::yaml::{ByteSpan, Yaml, YamlKind};
use crate::engine::suggest::did_you_mean;

const TOP_KEYS: &[&str] = &["name", "description", "cache", "params", "nodes"];
const NODE_KEYS: &[&str] = &["kind", "inputs", "params"];

#[derive(Clone, Debug)]
pub struct PipelineDoc {
    pub name: String,
    pub cache: Option<String>,
    pub params: Vec<(String, ByteSpan, Yaml)>,
    pub nodes: Vec<NodeDoc>,
}

#[derive(Clone, Debug)]
pub struct NodeDoc {
    pub name: String,
    pub name_span: ByteSpan,
    pub kind: Option<(String, ByteSpan)>,
    pub inputs: Vec<InputDoc>,
    pub params: Option<Yaml>,
}

#[derive(Clone, Debug)]
pub struct InputDoc {
    pub slot: String,
    pub slot_span: ByteSpan,
    pub node: String,
    pub output: Option<String>,
    pub span: ByteSpan,
}

/// Reads the file's structure, pushing a diagnostic for everything malformed.
pub fn parse_document(root: &Yaml, sources: &Sources, errors: &mut Vec<SpecDiagnostic>) -> PipelineDoc {
    let mut doc = PipelineDoc { name: String::new(), cache: None, params: Vec::new(), nodes: Vec::new() };
    let Some(entries) = root.as_map() else {
        errors.push(SpecDiagnostic::new(
            sources,
            "t2d::spec::shape",
            &root.span,
            format!("a pipeline file must be a map with `name` and `nodes`, found {}", root.type_name()),
            "here",
        ));
        return doc;
    };
    for (key, value) in entries {
        let k = key.as_scalar().unwrap_or_default();
        match k {
            "name" => match value.as_scalar() {
                Some(name) if valid_name(name) => doc.name = name.to_string(),
                _ => errors.push(bad_name(sources, value, "pipeline name")),
            },
            "description" => {}
            "cache" => match value.as_scalar() {
                Some(path) if !path.is_empty() => doc.cache = Some(path.to_string()),
                _ => errors.push(expected(sources, value, "`cache` must be a folder path")),
            },
            "params" => match value.as_map() {
                Some(params) => {
                    doc.params = params
                        .iter()
                        .map(|(k, v)| (k.as_scalar().unwrap_or_default().to_string(), k.span.clone(), v.clone()))
                        .collect()
                }
                None => errors.push(expected(sources, value, "`params` must be a map of name: value")),
            },
            "nodes" => match value.as_map() {
                Some(nodes) => {
                    doc.nodes = nodes.iter().filter_map(|(k, v)| parse_node(k, v, sources, errors)).collect()
                }
                None => errors.push(expected(sources, value, "`nodes` must be a map of node name: node")),
            },
            other => errors.push(unknown_key(sources, key, other, TOP_KEYS, "top-level key")),
        }
    }
    if root.get("name").is_none() {
        errors.push(
            SpecDiagnostic::new(
                sources,
                "t2d::spec::missing",
                &(0..0),
                "the pipeline has no `name`",
                "expected `name:` here",
            )
            .help(Some("add `name: my-pipeline`: outputs go to outputs/<name>/".into())),
        );
    }
    if root.get("nodes").is_none() {
        errors.push(SpecDiagnostic::new(
            sources,
            "t2d::spec::missing",
            &(0..0),
            "the pipeline has no `nodes`",
            "expected `nodes:`",
        ));
    }
    doc
}

fn parse_node(key: &Yaml, value: &Yaml, sources: &Sources, errors: &mut Vec<SpecDiagnostic>) -> Option<NodeDoc> {
    let name = key.as_scalar().unwrap_or_default();
    if !valid_name(name) {
        errors.push(bad_name(sources, key, "node name"));
        return None;
    }
    let mut node =
        NodeDoc { name: name.to_string(), name_span: key.span.clone(), kind: None, inputs: Vec::new(), params: None };
    let Some(entries) = value.as_map() else {
        errors.push(expected(
            sources,
            value,
            &format!("node `{name}` must be a map with `kind`, `inputs` and `params`"),
        ));
        return Some(node);
    };
    for (k, v) in entries {
        match k.as_scalar().unwrap_or_default() {
            "kind" => match v.as_scalar() {
                Some(kind) if !kind.is_empty() => node.kind = Some((kind.to_string(), v.span.clone())),
                _ => errors.push(expected(sources, v, "`kind` must name a node kind")),
            },
            "inputs" => match &v.kind {
                YamlKind::Map(slots) => {
                    node.inputs = slots.iter().filter_map(|(s, r)| parse_input(s, r, sources, errors)).collect()
                }
                YamlKind::Scalar { text, .. } if text.is_empty() => {}
                _ => errors.push(expected(sources, v, "`inputs` must be a map of slot: node or slot: node.output")),
            },
            "params" => node.params = Some(v.clone()),
            other => errors.push(unknown_key(sources, k, other, NODE_KEYS, "node key")),
        }
    }
    if node.kind.is_none() {
        errors.push(
            SpecDiagnostic::new(
                sources,
                "t2d::spec::missing",
                &key.span,
                format!("node `{name}` has no `kind`"),
                "this node",
            )
            .help(Some("add `kind: <node kind>`; `t2d kinds` lists them".into())),
        );
    }
    Some(node)
}

fn parse_input(slot: &Yaml, target: &Yaml, sources: &Sources, errors: &mut Vec<SpecDiagnostic>) -> Option<InputDoc> {
    let text = target.as_scalar().filter(|t| !t.is_empty());
    let Some(text) = text else {
        errors.push(expected(sources, target, "an input is `node` or `node.output`"));
        return None;
    };
    let (node, output) = match text.split_once('.') {
        Some((n, o)) => (n.to_string(), Some(o.to_string())),
        None => (text.to_string(), None),
    };
    Some(InputDoc {
        slot: slot.as_scalar().unwrap_or_default().to_string(),
        slot_span: slot.span.clone(),
        node,
        output,
        span: target.span.clone(),
    })
}

/// Names become file names: lowercase letters, digits, `_` and `-`, starting with a letter.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && name.len() <= 64
}

fn bad_name(sources: &Sources, node: &Yaml, what: &str) -> SpecDiagnostic {
    SpecDiagnostic::new(
        sources,
        "t2d::spec::name",
        &node.span,
        format!("invalid {what} `{}`", node.as_scalar().unwrap_or("<not a scalar>")),
        "not a valid name",
    )
    .help(Some("names match [a-z][a-z0-9_-]* (they become file names under cache/ and outputs/)".into()))
}

fn expected(sources: &Sources, node: &Yaml, message: &str) -> SpecDiagnostic {
    SpecDiagnostic::new(sources, "t2d::spec::shape", &node.span, message, format!("found {}", node.type_name()))
}

fn unknown_key(sources: &Sources, key: &Yaml, name: &str, known: &[&str], what: &str) -> SpecDiagnostic {
    let help = match did_you_mean(name, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of: {}", known.join(", ")),
    };
    SpecDiagnostic::new(sources, "t2d::spec::unknown_key", &key.span, format!("unknown {what} `{name}`"), "unknown")
        .help(Some(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape_folders() {
        assert!(valid_name("cluster"));
        assert!(valid_name("k2-sweep_a"));
        for bad in ["", "../x", "a/b", "Cluster", "1st", "a.b", "a b"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
