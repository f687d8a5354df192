//! The params a stage accepts: types, ranges, defaults, and how YAML is checked against them.
//!
//! Each stage declares its schema; validation uses it to report every wrong or unknown
//! param at its YAML span, and to resolve params (defaults written out, ints widened to
//! floats) so that a node's key does not depend on how the YAML was written.

use std::collections::BTreeMap;

use super::spec::yaml::{ByteSpan, Yaml, YamlKind};
use super::suggest::did_you_mean;
use super::value::Value;

#[derive(Clone, Debug)]
pub enum ParamType {
    Bool,
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    Float {
        min: Option<f64>,
        max: Option<f64>,
    },
    Str,
    Choice(Vec<&'static str>),
    /// A file or folder; its *contents* enter the key (see [`super::stage::External`]), not the path text.
    Path,
    List(Box<ParamType>),
    /// Free-form string keys, each value of one type (e.g. `filters: {masterCategory: [...]}`).
    Map(Box<ParamType>),
    /// Fixed fields with their own specs.
    Record(Vec<ParamSpec>),
    /// A map holding exactly one of these fields (e.g. `threshold: {percentile: 85}`).
    OneOf(Vec<ParamSpec>),
}

#[derive(Clone, Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub ty: ParamType,
    pub default: Option<Value>,
    pub doc: &'static str,
    /// False for params that change how, not what, is computed (device, batch size): they stay out of the key.
    pub in_key: bool,
}

impl ParamSpec {
    pub fn new(name: &'static str, ty: ParamType) -> Self {
        Self { name, ty, default: None, doc: "", in_key: true }
    }
    /// Marks a param that affects how a result is computed but not the result (device, batch size).
    pub fn execution_only(mut self) -> Self {
        self.in_key = false;
        self
    }
    pub fn int(name: &'static str) -> Self {
        Self::new(name, ParamType::Int { min: None, max: None })
    }
    pub fn float(name: &'static str) -> Self {
        Self::new(name, ParamType::Float { min: None, max: None })
    }
    pub fn string(name: &'static str) -> Self {
        Self::new(name, ParamType::Str)
    }
    pub fn boolean(name: &'static str) -> Self {
        Self::new(name, ParamType::Bool)
    }
    pub fn path(name: &'static str) -> Self {
        Self::new(name, ParamType::Path)
    }
    pub fn choice(name: &'static str, choices: &[&'static str]) -> Self {
        Self::new(name, ParamType::Choice(choices.to_vec()))
    }
    pub fn list(name: &'static str, item: ParamType) -> Self {
        Self::new(name, ParamType::List(Box::new(item)))
    }
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self
    }
    pub fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }
    /// Inclusive bounds; applies to Int and Float params.
    pub fn range(mut self, lo: f64, hi: f64) -> Self {
        self.ty = match self.ty {
            ParamType::Int { .. } => ParamType::Int { min: Some(lo as i64), max: Some(hi as i64) },
            ParamType::Float { .. } => ParamType::Float { min: Some(lo), max: Some(hi) },
            other => other,
        };
        self
    }
    pub fn min(mut self, lo: f64) -> Self {
        self.ty = match self.ty {
            ParamType::Int { max, .. } => ParamType::Int { min: Some(lo as i64), max },
            ParamType::Float { max, .. } => ParamType::Float { min: Some(lo), max },
            other => other,
        };
        self
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_string())
    }
}
impl From<Vec<&str>> for Value {
    fn from(v: Vec<&str>) -> Self {
        Value::List(v.into_iter().map(Value::from).collect())
    }
}

/// One thing wrong with one param, at one place.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamProblem {
    /// Dotted path below the node's `params` (e.g. `threshold.percentile`).
    pub path: String,
    pub span: ByteSpan,
    pub message: String,
    pub help: Option<String>,
}

/// Checks a node's `params` map against the schema; returns the resolved params
/// (every declared param present, defaults filled in) or every problem found.
pub fn resolve_params(
    schema: &[ParamSpec],
    given: Option<&Yaml>,
    node_span: &ByteSpan,
) -> Result<BTreeMap<String, Value>, Vec<ParamProblem>> {
    let mut problems = Vec::new();
    let resolved = resolve_record(schema, given, node_span, "", &mut problems);
    if problems.is_empty() {
        Ok(resolved)
    } else {
        Err(problems)
    }
}

fn resolve_record(
    schema: &[ParamSpec],
    given: Option<&Yaml>,
    owner_span: &ByteSpan,
    prefix: &str,
    problems: &mut Vec<ParamProblem>,
) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let entries = match given.map(|g| &g.kind) {
        None => &[][..],
        Some(YamlKind::Map(entries)) => &entries[..],
        Some(YamlKind::Scalar { text, .. }) if text.is_empty() => &[][..],
        Some(_) => {
            let node = given.expect("matched Some");
            problems.push(ParamProblem {
                path: prefix.trim_end_matches('.').to_string(),
                span: node.span.clone(),
                message: format!("expected a map of params, found {}", node.type_name()),
                help: None,
            });
            return out;
        }
    };
    for (key, value) in entries {
        let name = key.as_scalar().unwrap_or_default();
        match schema.iter().find(|s| s.name == name) {
            Some(spec) => {
                let path = format!("{prefix}{name}");
                if let Some(v) = coerce(&spec.ty, value, &path, problems) {
                    out.insert(name.to_string(), v);
                }
            }
            None => problems.push(unknown_param(name, key.span.clone(), prefix, schema)),
        }
    }
    for spec in schema {
        if out.contains_key(spec.name) || entries.iter().any(|(k, _)| k.as_scalar() == Some(spec.name)) {
            continue;
        }
        match &spec.default {
            Some(default) => {
                out.insert(spec.name.to_string(), default.clone());
            }
            None => problems.push(ParamProblem {
                path: format!("{prefix}{}", spec.name),
                span: owner_span.clone(),
                message: format!("missing required param `{prefix}{}`", spec.name),
                help: (!spec.doc.is_empty()).then(|| format!("`{}`: {}", spec.name, spec.doc)),
            }),
        }
    }
    out
}

fn unknown_param(name: &str, span: ByteSpan, prefix: &str, schema: &[ParamSpec]) -> ParamProblem {
    let known: Vec<&str> = schema.iter().map(|s| s.name).collect();
    let help = match did_you_mean(name, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known params: {}", known.join(", ")),
    };
    ParamProblem {
        path: format!("{prefix}{name}"),
        span,
        message: format!("unknown param `{prefix}{name}`"),
        help: Some(help),
    }
}

/// Checks one YAML node against a type; pushes problems and returns the typed value when it fits.
pub fn coerce(ty: &ParamType, node: &Yaml, path: &str, problems: &mut Vec<ParamProblem>) -> Option<Value> {
    let value = Value::from_yaml(node);
    let mismatch = |expected: &str| ParamProblem {
        path: path.to_string(),
        span: node.span.clone(),
        message: format!("`{path}` must be {expected}, found {}", describe(&value)),
        help: None,
    };
    let out_of_range = |lo: String, hi: String| ParamProblem {
        path: path.to_string(),
        span: node.span.clone(),
        message: format!("`{path}` = {value} is out of range [{lo}, {hi}]"),
        help: None,
    };
    let bound = |b: Option<String>| b.unwrap_or_else(|| "…".into());
    match ty {
        ParamType::Bool => match value {
            Value::Bool(_) => Some(value),
            _ => fail(problems, mismatch("true or false")),
        },
        ParamType::Int { min, max } => match value {
            Value::Int(i) if min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m) => {
                fail(problems, out_of_range(bound(min.map(|m| m.to_string())), bound(max.map(|m| m.to_string()))))
            }
            Value::Int(_) => Some(value),
            _ => fail(problems, mismatch("an integer")),
        },
        ParamType::Float { min, max } => match value.as_f64() {
            Some(f) if f.is_nan() || min.is_some_and(|m| f < m) || max.is_some_and(|m| f > m) => {
                fail(problems, out_of_range(bound(min.map(|m| m.to_string())), bound(max.map(|m| m.to_string()))))
            }
            Some(f) if !matches!(value, Value::Bool(_)) => Some(Value::Float(f)),
            _ => fail(problems, mismatch("a number")),
        },
        ParamType::Str | ParamType::Path => match &node.kind {
            YamlKind::Scalar { text, .. } if !text.is_empty() => Some(Value::Str(text.clone())),
            _ => fail(problems, mismatch("a string")),
        },
        ParamType::Choice(choices) => match node.as_scalar() {
            Some(text) if choices.contains(&text) => Some(Value::Str(text.to_string())),
            other => {
                let mut problem = mismatch(&format!("one of {}", choices.join(", ")));
                if let Some(best) = other.and_then(|t| did_you_mean(t, choices.iter().copied())) {
                    problem.help = Some(format!("did you mean `{best}`?"));
                }
                fail(problems, problem)
            }
        },
        ParamType::List(item) => match &node.kind {
            YamlKind::Seq(items) => {
                let before = problems.len();
                let typed: Vec<Value> = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| coerce(item, n, &format!("{path}[{i}]"), problems))
                    .collect();
                (problems.len() == before).then_some(Value::List(typed))
            }
            _ => fail(problems, mismatch("a list")),
        },
        ParamType::Map(item) => match &node.kind {
            YamlKind::Map(entries) => {
                let before = problems.len();
                let typed: BTreeMap<String, Value> = entries
                    .iter()
                    .filter_map(|(k, v)| {
                        let key = k.as_scalar().unwrap_or_default();
                        coerce(item, v, &format!("{path}.{key}"), problems).map(|v| (key.to_string(), v))
                    })
                    .collect();
                (problems.len() == before).then_some(Value::Map(typed))
            }
            _ => fail(problems, mismatch("a map")),
        },
        ParamType::Record(fields) => match &node.kind {
            YamlKind::Map(_) => {
                let before = problems.len();
                let typed = resolve_record(fields, Some(node), &node.span, &format!("{path}."), problems);
                (problems.len() == before).then_some(Value::Map(typed))
            }
            _ => fail(problems, mismatch("a map")),
        },
        ParamType::OneOf(fields) => {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            let expected = format!("a map with exactly one of: {}", names.join(", "));
            match &node.kind {
                YamlKind::Map(entries) if entries.len() == 1 => {
                    let (key, inner) = &entries[0];
                    let name = key.as_scalar().unwrap_or_default();
                    match fields.iter().find(|f| f.name == name) {
                        Some(field) => coerce(&field.ty, inner, &format!("{path}.{name}"), problems)
                            .map(|v| Value::Map([(name.to_string(), v)].into())),
                        None => fail(problems, unknown_param(name, key.span.clone(), &format!("{path}."), fields)),
                    }
                }
                _ => fail(problems, mismatch(&expected)),
            }
        }
    }
}

fn fail(problems: &mut Vec<ParamProblem>, problem: ParamProblem) -> Option<Value> {
    problems.push(problem);
    None
}

fn describe(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("\"{s}\""),
        Value::List(_) | Value::Map(_) | Value::Null => value.type_name().to_string(),
        other => format!("{} ({other})", other.type_name()),
    }
}

/// Params that stay out of a node's key: paths (their contents enter instead) and execution-only params.
pub fn unkeyed_params(schema: &[ParamSpec]) -> Vec<&'static str> {
    schema.iter().filter(|s| matches!(s.ty, ParamType::Path) || !s.in_key).map(|s| s.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::spec::yaml::parse;

    fn schema() -> Vec<ParamSpec> {
        vec![
            ParamSpec::int("k_min").range(2.0, 100.0).default(6),
            ParamSpec::float("threshold").default(0.7),
            ParamSpec::list("tags", ParamType::Str).default(vec!["a", "b"]),
            ParamSpec::new(
                "pick",
                ParamType::OneOf(vec![ParamSpec::float("value"), ParamSpec::float("percentile").range(0.0, 100.0)]),
            )
            .default(Value::Map([("percentile".to_string(), Value::Float(85.0))].into())),
        ]
    }

    fn resolve(src: &str) -> Result<BTreeMap<String, Value>, Vec<ParamProblem>> {
        let (yaml, _) = parse(src).unwrap();
        resolve_params(&schema(), Some(&yaml), &(0..0))
    }

    #[test]
    fn defaults_fill_in_and_ints_widen() {
        let a = resolve("threshold: 1\n").unwrap();
        let b = resolve("k_min: 6\nthreshold: 1.0\ntags: [a, b]\n").unwrap();
        assert_eq!(a, b);
        assert_eq!(a["threshold"], Value::Float(1.0));
    }

    #[test]
    fn every_problem_is_reported() {
        let problems = resolve("k_min: 1\nthreshhold: 0.5\ntags: x\npick: {percentile: 120}\n").unwrap_err();
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 4, "{messages:?}");
        assert!(messages[0].contains("out of range"));
        assert_eq!(problems[1].help.as_deref(), Some("did you mean `threshold`?"));
    }

    #[test]
    fn one_of_takes_exactly_one() {
        assert!(resolve("pick: {value: 0.7}\n").is_ok());
        assert!(resolve("pick: {value: 0.7, percentile: 85}\n").is_err());
    }
}
