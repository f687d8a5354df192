//! `--set node.param=value` and `--set pipeline_param=value`, typed like the YAML.
//!
//! An override replaces the YAML node it targets before validation, so a bad value is
//! reported exactly like a bad value in the file, with the `--set` argument as its source.

use super::diagnostic::{Sources, SpecDiagnostic, OVERRIDE_BAND};
use super::document::PipelineDoc;
use super::yaml::{parse, ByteSpan, Yaml, YamlKind};
use crate::engine::suggest::did_you_mean;

#[derive(Clone, Debug)]
pub struct Override {
    pub path: Vec<String>,
    pub key_span: ByteSpan,
    pub value: Yaml,
}

impl Override {
    /// Parses the `index`-th `--set` argument; spans land in that argument's band.
    pub fn parse(index: usize, arg: &str) -> Result<Self, String> {
        let (key, text) =
            arg.split_once('=').ok_or_else(|| format!("`--set {arg}` needs the form node.param=value"))?;
        let path: Vec<String> = key.split('.').map(str::to_string).collect();
        if key.is_empty() || path.iter().any(String::is_empty) {
            return Err(format!("`--set {arg}`: `{key}` is not a param path (node.param or pipeline_param)"));
        }
        let base = (index + 1) * OVERRIDE_BAND;
        let value_start = base + key.len() + 1;
        let mut value = match parse(text) {
            Ok((yaml, problems)) if problems.is_empty() && !text.trim().is_empty() => yaml,
            _ => Yaml { kind: YamlKind::Scalar { text: text.to_string(), quoted: true }, span: 0..text.len() },
        };
        shift(&mut value, value_start);
        Ok(Self { path, key_span: base..base + key.len(), value })
    }
}

fn shift(node: &mut Yaml, by: usize) {
    node.span = node.span.start + by..node.span.end + by;
    match &mut node.kind {
        YamlKind::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        YamlKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, by);
            shift(v, by);
        }),
        YamlKind::Scalar { .. } => {}
    }
}

/// Applies overrides in order; an override naming nothing that exists is an error.
pub fn apply_overrides(
    doc: &mut PipelineDoc,
    overrides: &[Override],
    sources: &Sources,
    errors: &mut Vec<SpecDiagnostic>,
) {
    for o in overrides {
        if o.path.len() == 1 {
            match doc.params.iter_mut().find(|(name, _, _)| *name == o.path[0]) {
                Some(param) => param.2 = o.value.clone(),
                None => {
                    let known = doc.params.iter().map(|p| p.0.as_str());
                    let help = did_you_mean(&o.path[0], known)
                        .map(|b| format!("did you mean `{b}`?"))
                        .unwrap_or_else(|| "to set a node's param, write node.param=value".into());
                    errors.push(
                        SpecDiagnostic::new(
                            sources,
                            "t2d::set::unknown",
                            &o.key_span,
                            format!("no pipeline param `{}`", o.path[0]),
                            "not defined in `params:`",
                        )
                        .help(Some(help)),
                    );
                }
            }
            continue;
        }
        let Some(node) = doc.nodes.iter_mut().find(|n| n.name == o.path[0]) else {
            let help = did_you_mean(&o.path[0], doc.nodes.iter().map(|n| n.name.as_str()))
                .map(|b| format!("did you mean `{b}`?"));
            errors.push(
                SpecDiagnostic::new(
                    sources,
                    "t2d::set::unknown",
                    &o.key_span,
                    format!("no node `{}` in this pipeline", o.path[0]),
                    "unknown node",
                )
                .help(help),
            );
            continue;
        };
        let params =
            node.params.get_or_insert_with(|| Yaml { kind: YamlKind::Map(Vec::new()), span: o.key_span.clone() });
        set_path(params, &o.path[1..], o);
    }
}

fn set_path(map: &mut Yaml, path: &[String], o: &Override) {
    if !matches!(map.kind, YamlKind::Map(_)) {
        map.kind = YamlKind::Map(Vec::new());
    }
    let YamlKind::Map(entries) = &mut map.kind else { return };
    let index = match entries.iter().position(|(k, _)| k.as_scalar() == Some(path[0].as_str())) {
        Some(i) => i,
        None => {
            let key =
                Yaml { kind: YamlKind::Scalar { text: path[0].clone(), quoted: false }, span: o.key_span.clone() };
            let placeholder = Yaml { kind: YamlKind::Map(Vec::new()), span: o.key_span.clone() };
            entries.push((key, placeholder));
            entries.len() - 1
        }
    };
    if path.len() == 1 {
        entries[index].1 = o.value.clone();
    } else {
        set_path(&mut entries[index].1, &path[1..], o);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_typed_like_yaml() {
        let o = Override::parse(0, "cluster.k_max=12").unwrap();
        assert_eq!(o.path, ["cluster", "k_max"]);
        assert_eq!(o.value.as_scalar(), Some("12"));
        assert!(matches!(o.value.kind, YamlKind::Scalar { quoted: false, .. }));
        let o = Override::parse(1, "prompt.styles=[a, b]").unwrap();
        assert!(matches!(o.value.kind, YamlKind::Seq(ref v) if v.len() == 2));
        assert!(o.value.span.start >= 2 * OVERRIDE_BAND);
    }

    #[test]
    fn malformed_overrides_are_rejected() {
        assert!(Override::parse(0, "k_max").is_err());
        assert!(Override::parse(0, "a..b=1").is_err());
    }
}
