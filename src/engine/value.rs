//! Parameter values: what a YAML scalar, list or map means once typed.
//!
//! Values are hashed into node keys, so their serialisation is canonical:
//! maps are ordered by key and the schema coerces `1` to `1.0` where a float is wanted.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::spec::yaml::{Yaml, YamlKind};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// Types a YAML node by the YAML 1.2 core schema (quoted scalars stay strings).
    pub fn from_yaml(node: &Yaml) -> Value {
        match &node.kind {
            YamlKind::Scalar { text, quoted: true } => Value::Str(text.clone()),
            YamlKind::Scalar { text, quoted: false } => Value::from_plain_scalar(text),
            YamlKind::Seq(items) => Value::List(items.iter().map(Value::from_yaml).collect()),
            YamlKind::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = k.as_scalar().unwrap_or_default().to_string();
                        (key, Value::from_yaml(v))
                    })
                    .collect(),
            ),
        }
    }

    /// Types an unquoted scalar as YAML's core schema does (also used for `--set`).
    pub fn from_plain_scalar(text: &str) -> Value {
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
            _ => {}
        }
        if let Some(int) = parse_int(text) {
            return Value::Int(int);
        }
        if looks_like_float(text) {
            if let Ok(f) = text.parse::<f64>() {
                return Value::Float(f);
            }
        }
        Value::Str(text.to_string())
    }

    /// What a user would call this value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }
}

fn parse_int(text: &str) -> Option<i64> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let magnitude = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(sign * magnitude)
}

fn looks_like_float(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    body.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => f.write_str(s),
            other => f.write_str(&serde_json::to_string(other).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        assert_eq!(Value::from_plain_scalar("12"), Value::Int(12));
        assert_eq!(Value::from_plain_scalar("-3"), Value::Int(-3));
        assert_eq!(Value::from_plain_scalar("0.7"), Value::Float(0.7));
        assert_eq!(Value::from_plain_scalar("1e-3"), Value::Float(1e-3));
        assert_eq!(Value::from_plain_scalar("true"), Value::Bool(true));
        assert_eq!(Value::from_plain_scalar("~"), Value::Null);
        assert_eq!(Value::from_plain_scalar("Navy Blue"), Value::Str("Navy Blue".into()));
        assert_eq!(Value::from_plain_scalar("1.2.3"), Value::Str("1.2.3".into()));
        assert_eq!(Value::from_plain_scalar("e5"), Value::Str("e5".into()));
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let a = Value::Map([("b".into(), Value::Int(1)), ("a".into(), Value::Int(2))].into());
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"a":2,"b":1}"#);
    }
}
