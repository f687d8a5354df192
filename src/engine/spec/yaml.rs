//! A YAML tree that remembers where every node came from.
//!
//! serde_yaml gives values but no spans, and stops at the first duplicate key;
//! pipeline validation needs both (labels at the exact place, all errors at once),
//! so the spec is read through saphyr's event parser into this small tree.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Byte range into the YAML source.
pub type ByteSpan = Range<usize>;

#[derive(Clone, Debug, PartialEq)]
pub struct Yaml {
    pub kind: YamlKind,
    pub span: ByteSpan,
}

#[derive(Clone, Debug, PartialEq)]
pub enum YamlKind {
    /// A scalar with its text and whether it was quoted (quoted scalars are always strings).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Yaml>),
    /// Entries in document order; duplicates are reported by [`parse`], the first one kept.
    Map(Vec<(Yaml, Yaml)>),
}

/// A problem found while reading the YAML text itself.
#[derive(Clone, Debug, PartialEq)]
pub enum YamlProblem {
    Syntax { message: String, at: ByteSpan },
    DuplicateKey { key: String, first: ByteSpan, again: ByteSpan },
    Empty,
}

impl Yaml {
    /// The scalar text, when this node is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            YamlKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Yaml, Yaml)]> {
        match &self.kind {
            YamlKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` in a map node.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        self.as_map()?.iter().find(|(k, _)| k.as_scalar() == Some(key)).map(|(_, v)| v)
    }

    /// What a user would call this node's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            YamlKind::Scalar { .. } => "a scalar",
            YamlKind::Seq(_) => "a list",
            YamlKind::Map(_) => "a map",
        }
    }
}

/// Parses one YAML document; reports every duplicate key, or the first syntax error.
pub fn parse(source: &str) -> Result<(Yaml, Vec<YamlProblem>), YamlProblem> {
    let offsets = CharOffsets::new(source);
    let mut builder = Builder::default();
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            YamlProblem::Syntax { message: e.info().to_string(), at: at..at }
        })?;
        builder.push(event, offsets.span(span))?;
    }
    let root = builder.root.ok_or(YamlProblem::Empty)?;
    Ok((root, builder.problems))
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Yaml>,
    root: Option<Yaml>,
    problems: Vec<YamlProblem>,
}

struct Open {
    node: Yaml,
    anchor: usize,
    pending_key: Option<Yaml>,
}

impl Builder {
    fn push(&mut self, event: Event<'_>, span: ByteSpan) -> Result<(), YamlProblem> {
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let node = Yaml { kind: YamlKind::Scalar { text: text.into_owned(), quoted }, span };
                self.remember(anchor, &node);
                self.attach(node);
            }
            Event::Alias(anchor) => {
                let Some(target) = self.anchors.get(&anchor) else {
                    return Err(YamlProblem::Syntax { message: "alias to an unknown anchor".into(), at: span });
                };
                let node = Yaml { kind: target.kind.clone(), span };
                self.attach(node);
            }
            Event::SequenceStart(anchor, _) => self.open(YamlKind::Seq(Vec::new()), anchor, span),
            Event::MappingStart(anchor, _) => self.open(YamlKind::Map(Vec::new()), anchor, span),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(mut open) = self.stack.pop() {
                    open.node.span.end = open.node.span.end.max(span.end);
                    self.remember(open.anchor, &open.node);
                    self.attach(open.node);
                }
            }
            Event::DocumentStart(_) if self.root.is_some() => {
                return Err(YamlProblem::Syntax {
                    message: "a pipeline file holds one YAML document; found a second one".into(),
                    at: span,
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, kind: YamlKind, anchor: usize, span: ByteSpan) {
        self.stack.push(Open { node: Yaml { kind, span }, anchor, pending_key: None });
    }

    fn remember(&mut self, anchor: usize, node: &Yaml) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn attach(&mut self, node: Yaml) {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        parent.node.span.end = parent.node.span.end.max(node.span.end);
        match &mut parent.node.kind {
            YamlKind::Seq(items) => items.push(node),
            YamlKind::Map(entries) => match parent.pending_key.take() {
                None => parent.pending_key = Some(node),
                Some(key) => {
                    let first = entries.iter().find(|(k, _)| k.kind == key.kind).map(|(k, _)| k.span.clone());
                    match first {
                        Some(first) => self.problems.push(YamlProblem::DuplicateKey {
                            key: key.as_scalar().unwrap_or("<complex key>").to_string(),
                            first,
                            again: key.span,
                        }),
                        None => entries.push((key, node)),
                    }
                }
            },
            YamlKind::Scalar { .. } => {}
        }
    }
}

/// saphyr reports positions in characters; miette wants bytes.
struct CharOffsets {
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(source: &str) -> Self {
        let bytes = (!source.is_ascii())
            .then(|| source.char_indices().map(|(b, _)| b).chain(std::iter::once(source.len())).collect());
        Self { bytes, len: source.len() }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            Some(table) => table.get(char_index).copied().unwrap_or(self.len),
            None => char_index.min(self.len),
        }
    }

    fn span(&self, span: Span) -> ByteSpan {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_the_text() {
        let src = "name: demo\nnodes:\n  a: {kind: gen}\n";
        let (root, problems) = parse(src).unwrap();
        assert!(problems.is_empty());
        let kind = root.get("nodes").unwrap().get("a").unwrap().get("kind").unwrap();
        assert_eq!(&src[kind.span.clone()], "gen");
    }

    #[test]
    fn every_duplicate_key_is_reported() {
        let src = "a: 1\nb: 2\na: 3\nb: 4\n";
        let (root, problems) = parse(src).unwrap();
        assert_eq!(problems.len(), 2);
        assert_eq!(root.get("a").unwrap().as_scalar(), Some("1"));
        let YamlProblem::DuplicateKey { again, .. } = &problems[0] else { panic!("{problems:?}") };
        assert_eq!(&src[again.clone()], "a");
    }

    #[test]
    fn non_ascii_spans_are_bytes() {
        let src = "name: «été»\nx: y\n";
        let (root, _) = parse(src).unwrap();
        let x = root.get("x").unwrap();
        assert_eq!(&src[x.span.clone()], "y");
    }

    #[test]
    fn quoted_scalars_are_marked() {
        let (root, _) = parse("a: '1'\nb: 1\n").unwrap();
        assert!(matches!(root.get("a").unwrap().kind, YamlKind::Scalar { quoted: true, .. }));
        assert!(matches!(root.get("b").unwrap().kind, YamlKind::Scalar { quoted: false, .. }));
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(err, YamlProblem::Syntax { .. }));
    }
}
