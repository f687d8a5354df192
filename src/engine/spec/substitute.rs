//! `${name}` references from node params to pipeline-level params.
//!
//! A scalar that is exactly `${name}` takes the param's value with its type (a list stays a
//! list); `${name}` inside a longer string is replaced by the value's text.

use super::diagnostic::{Sources, SpecDiagnostic};
use super::yaml::{Yaml, YamlKind};
use crate::engine::suggest::did_you_mean;

pub fn substitute_refs(
    node: &mut Yaml,
    params: &[(String, std::ops::Range<usize>, Yaml)],
    sources: &Sources,
    errors: &mut Vec<SpecDiagnostic>,
) {
    match &mut node.kind {
        YamlKind::Seq(items) => items.iter_mut().for_each(|n| substitute_refs(n, params, sources, errors)),
        YamlKind::Map(entries) => entries.iter_mut().for_each(|(_, v)| substitute_refs(v, params, sources, errors)),
        YamlKind::Scalar { text, .. } if text.contains("${") => {
            let span = node.span.clone();
            let lookup = |name: &str| params.iter().find(|p| p.0 == name).map(|p| &p.2);
            if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|n| !n.contains('}')) {
                match lookup(name) {
                    Some(value) => *node = value.clone(),
                    None => errors.push(unknown(sources, &span, name, params)),
                }
                return;
            }
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let Some(end) = rest[start..].find('}') else { break };
                let name = &rest[start + 2..start + end];
                match lookup(name).and_then(Yaml::as_scalar) {
                    Some(value) => out.push_str(value),
                    None => {
                        errors.push(unknown(sources, &span, name, params));
                        return;
                    }
                }
                rest = &rest[start + end + 1..];
            }
            out.push_str(rest);
            *text = out;
        }
        YamlKind::Scalar { .. } => {}
    }
}

fn unknown(
    sources: &Sources,
    span: &std::ops::Range<usize>,
    name: &str,
    params: &[(String, std::ops::Range<usize>, Yaml)],
) -> SpecDiagnostic {
    let help = did_you_mean(name, params.iter().map(|p| p.0.as_str()))
        .map(|b| format!("did you mean `${{{b}}}`?"))
        .or_else(|| {
            Some(
                "define it under the pipeline's `params:` (only scalar params can be embedded in a longer string)"
                    .into(),
            )
        });
    SpecDiagnostic::new(
        sources,
        "t2d::spec::unknown_ref",
        span,
        format!("unknown pipeline param `{name}`"),
        "referenced here",
    )
    .help(help)
}
