//! Checks a pipeline file against the registry and reports every problem at once.

use std::collections::{BTreeMap, HashMap};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::pipeline::{Node, Pipeline};
use super::registry::Registry;
use super::schema::resolve_params;
use super::spec::yaml::{self, ByteSpan, YamlProblem};
use super::spec::{
    apply_overrides, parse_document, substitute_refs, InvalidPipeline, NodeDoc, Override, Sources, SpecDiagnostic,
};
use super::stage::Params;
use super::suggest::did_you_mean;

/// Parses and checks `text` (the contents of `file_name`) with `--set` overrides applied.
pub fn validate(
    file_name: &str,
    text: &str,
    registry: &Registry,
    sets: &[String],
) -> Result<Pipeline, InvalidPipeline> {
    let sources = Sources { file_name: file_name.to_string(), text: text.to_string(), overrides: sets.to_vec() };
    let mut errors = Vec::new();
    let fail = |errors: Vec<SpecDiagnostic>| InvalidPipeline { file: file_name.to_string(), errors };

    let (root, problems) = match yaml::parse(text) {
        Ok(parsed) => parsed,
        Err(problem) => return Err(fail(vec![yaml_problem(&sources, problem)])),
    };
    errors.extend(problems.into_iter().map(|p| yaml_problem(&sources, p)));

    let mut doc = parse_document(&root, &sources, &mut errors);
    let mut overrides = Vec::new();
    for (i, arg) in sets.iter().enumerate() {
        match Override::parse(i, arg) {
            Ok(o) => overrides.push(o),
            Err(message) => {
                let band = (i + 1) * (1usize << 40);
                errors.push(SpecDiagnostic::new(
                    &sources,
                    "t2d::set::syntax",
                    &(band..band + arg.len()),
                    message,
                    "here",
                ));
            }
        }
    }
    apply_overrides(&mut doc, &overrides, &sources, &mut errors);

    let names: HashMap<&str, usize> = doc.nodes.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (index, node_doc) in doc.nodes.iter().enumerate() {
        let (bound, node) = check_node(node_doc, &doc.nodes, &names, &doc.params, registry, &sources, &mut errors);
        edges.extend(bound.iter().map(|(slot, (from, _))| (*from, index, slot.clone())));
        nodes.push(node);
    }

    let mut graph = DiGraph::<usize, ()>::new();
    let ids: Vec<NodeIndex> = (0..doc.nodes.len()).map(|i| graph.add_node(i)).collect();
    for (from, to, _) in &edges {
        graph.add_edge(ids[*from], ids[*to], ());
    }
    for cycle in cycles(&graph) {
        let path: Vec<&str> = cycle.iter().chain(cycle.first()).map(|i| doc.nodes[*i].name.as_str()).collect();
        let closing = &doc.nodes[cycle[0]];
        let span = closing
            .inputs
            .iter()
            .find(|input| input.node == doc.nodes[*cycle.last().unwrap_or(&cycle[0])].name)
            .map(|i| i.span.clone())
            .unwrap_or(closing.name_span.clone());
        errors.push(
            SpecDiagnostic::new(
                &sources,
                "t2d::spec::cycle",
                &span,
                format!("the nodes form a cycle: {}", path.join(" → ")),
                "this input closes the cycle",
            )
            .help(Some("a pipeline is a DAG: remove one of these inputs".into())),
        );
    }

    if !errors.is_empty() {
        errors.sort_by_key(|e| e.position);
        return Err(fail(errors));
    }
    let order: Vec<usize> =
        petgraph::algo::toposort(&graph, None).map_err(|_| fail(Vec::new()))?.into_iter().map(|id| graph[id]).collect();
    let mut taken: Vec<Option<Node>> = nodes;
    let position: HashMap<usize, usize> = order.iter().enumerate().map(|(pos, old)| (*old, pos)).collect();
    let mut ordered = Vec::new();
    for old in &order {
        let mut node = taken[*old].take().ok_or_else(|| fail(Vec::new()))?;
        for (from, _) in node.inputs.values_mut() {
            *from = position[from];
        }
        ordered.push(node);
    }
    let mut graph = DiGraph::<usize, ()>::new();
    let ids: Vec<NodeIndex> = (0..ordered.len()).map(|i| graph.add_node(i)).collect();
    for (to, node) in ordered.iter().enumerate() {
        for (from, _) in node.inputs.values() {
            graph.add_edge(ids[*from], ids[to], ());
        }
    }
    Ok(Pipeline { name: doc.name, cache: doc.cache, nodes: ordered, graph })
}

fn check_node(
    doc: &NodeDoc,
    all: &[NodeDoc],
    names: &HashMap<&str, usize>,
    pipeline_params: &[(String, ByteSpan, yaml::Yaml)],
    registry: &Registry,
    sources: &Sources,
    errors: &mut Vec<SpecDiagnostic>,
) -> (BTreeMap<String, (usize, String)>, Option<Node>) {
    let Some((kind, kind_span)) = doc.kind.as_ref() else { return (BTreeMap::new(), None) };
    let Some(stage) = registry.get(kind) else {
        let help = match did_you_mean(kind, registry.kinds()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known kinds: {}", registry.kinds().collect::<Vec<_>>().join(", ")),
        };
        errors.push(
            SpecDiagnostic::new(
                sources,
                "t2d::spec::unknown_kind",
                kind_span,
                format!("unknown node kind `{kind}`"),
                "unknown kind",
            )
            .help(Some(help)),
        );
        let bound = doc
            .inputs
            .iter()
            .filter_map(|i| names.get(i.node.as_str()).map(|f| (i.slot.clone(), (*f, String::new()))))
            .collect();
        return (bound, None);
    };
    let before = errors.len();
    let slots = stage.inputs();
    let mut inputs = BTreeMap::new();
    for input in &doc.inputs {
        if !slots.iter().any(|s| s.name == input.slot) {
            let help = did_you_mean(&input.slot, slots.iter().map(|s| s.name))
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| format!("`{kind}` takes: {}", slot_list(&slots)));
            errors.push(
                SpecDiagnostic::new(
                    sources,
                    "t2d::spec::unknown_slot",
                    &input.slot_span,
                    format!("`{kind}` has no input slot `{}`", input.slot),
                    "unknown slot",
                )
                .help(Some(help)),
            );
            continue;
        }
        let Some(&from) = names.get(input.node.as_str()) else {
            let help =
                did_you_mean(&input.node, all.iter().map(|n| n.name.as_str())).map(|b| format!("did you mean `{b}`?"));
            errors.push(
                SpecDiagnostic::new(
                    sources,
                    "t2d::spec::unknown_node",
                    &input.span,
                    format!("input `{}` refers to undefined node `{}`", input.slot, input.node),
                    "no such node",
                )
                .help(help),
            );
            continue;
        };
        let upstream_outputs =
            all[from].kind.as_ref().and_then(|(k, _)| registry.get(k)).map(|s| s.outputs()).unwrap_or_default();
        let output = match &input.output {
            Some(o) => o.clone(),
            None => match upstream_outputs.first() {
                Some(first) => first.name.to_string(),
                None => String::new(),
            },
        };
        if !upstream_outputs.is_empty() && !upstream_outputs.iter().any(|o| o.name == output) {
            let known: Vec<&str> = upstream_outputs.iter().map(|o| o.name).collect();
            let help = did_you_mean(&output, known.iter().copied())
                .map(|b| format!("did you mean `{}.{b}`?", input.node))
                .unwrap_or_else(|| format!("`{}` produces: {}", input.node, known.join(", ")));
            errors.push(
                SpecDiagnostic::new(
                    sources,
                    "t2d::spec::unknown_output",
                    &input.span,
                    format!("node `{}` has no output `{output}`", input.node),
                    "no such output",
                )
                .help(Some(help)),
            );
            continue;
        }
        inputs.insert(input.slot.clone(), (from, output));
    }
    for slot in &slots {
        if !doc.inputs.iter().any(|i| i.slot == slot.name) {
            errors.push(
                SpecDiagnostic::new(
                    sources,
                    "t2d::spec::missing_slot",
                    &doc.name_span,
                    format!("node `{}` does not bind input slot `{}`", doc.name, slot.name),
                    "in this node",
                )
                .help(Some(format!(
                    "add `inputs: {{{}: <node>}}`; `{kind}` takes: {}",
                    slot.name,
                    slot_list(&slots)
                ))),
            );
        }
    }

    let mut params_yaml = doc.params.clone();
    if let Some(p) = params_yaml.as_mut() {
        substitute_refs(p, pipeline_params, sources, errors);
    }
    let schema = stage.params();
    let params = match resolve_params(&schema, params_yaml.as_ref(), &doc.name_span) {
        Ok(resolved) => Params(resolved),
        Err(problems) => {
            for p in problems {
                errors.push(
                    SpecDiagnostic::new(
                        sources,
                        "t2d::spec::param",
                        &p.span,
                        format!("node `{}`: {}", doc.name, p.message),
                        "here",
                    )
                    .help(p.help),
                );
            }
            return (inputs, None);
        }
    };
    for (param, message) in stage.check(&params) {
        let span =
            params_yaml.as_ref().and_then(|p| p.get(&param)).map(|v| v.span.clone()).unwrap_or(doc.name_span.clone());
        errors.push(SpecDiagnostic::new(
            sources,
            "t2d::spec::param",
            &span,
            format!("node `{}`: {message}", doc.name),
            "here",
        ));
    }
    let node = (errors.len() == before).then(|| Node {
        name: doc.name.clone(),
        stage: stage.clone(),
        params,
        inputs: inputs.clone(),
    });
    (inputs, node)
}

fn slot_list(slots: &[super::stage::InputSlot]) -> String {
    if slots.is_empty() {
        "no inputs".into()
    } else {
        slots.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
    }
}

/// Each cycle as a path of node indices (in document order of discovery).
fn cycles(graph: &DiGraph<usize, ()>) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for scc in tarjan_scc(graph) {
        let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let start = *scc.iter().min_by_key(|n| graph[**n]).unwrap_or(&scc[0]);
        let mut path = vec![start];
        let mut current = start;
        let mut seen = vec![start];
        while let Some(next) =
            graph.neighbors(current).filter(|n| scc.contains(n)).min_by_key(|n| (*n != start, graph[*n]))
        {
            if next == start || seen.contains(&next) {
                break;
            }
            seen.push(next);
            path.push(next);
            current = next;
        }
        out.push(path.into_iter().map(|n| graph[n]).collect());
    }
    out
}

fn yaml_problem(sources: &Sources, problem: YamlProblem) -> SpecDiagnostic {
    match problem {
        YamlProblem::Syntax { message, at } => {
            SpecDiagnostic::new(sources, "t2d::spec::yaml", &at, format!("invalid YAML: {message}"), "here")
        }
        YamlProblem::DuplicateKey { key, first: _, again } => SpecDiagnostic::new(
            sources,
            "t2d::spec::duplicate_key",
            &again,
            format!("duplicate key `{key}`"),
            "defined again here",
        )
        .help(Some("each key may appear once in a map; the first definition is the one that would count".into())),
        YamlProblem::Empty => SpecDiagnostic::new(
            sources,
            "t2d::spec::empty",
            &(0..0),
            "the pipeline file is empty",
            "expected `name:` and `nodes:`",
        ),
    }
}
