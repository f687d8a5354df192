//! Pipeline problems as miette diagnostics, labelled at the exact place in the YAML
//! (or in the `--set` argument that caused them).

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

use super::yaml::ByteSpan;

/// Spans at or above this offset point into `--set` arguments, one band per argument.
pub(crate) const OVERRIDE_BAND: usize = 1 << 40;

/// The texts spans point into: the pipeline file, and each `--set` argument.
#[derive(Clone, Debug)]
pub struct Sources {
    pub file_name: String,
    pub text: String,
    pub overrides: Vec<String>,
}

impl Sources {
    fn locate(&self, span: &ByteSpan) -> (NamedSource<String>, SourceSpan) {
        if span.start >= OVERRIDE_BAND {
            let band = span.start / OVERRIDE_BAND - 1;
            let text = self.overrides.get(band).cloned().unwrap_or_default();
            let start = (span.start % OVERRIDE_BAND).min(text.len());
            let len = (span.end - span.start).min(text.len() - start);
            let name = format!("--set {text}");
            (NamedSource::new(name, text), SourceSpan::new(start.into(), len))
        } else {
            let source = NamedSource::new(&self.file_name, self.text.clone()).with_language("yaml");
            let start = span.start.min(self.text.len());
            let len = span.end.saturating_sub(span.start).min(self.text.len() - start);
            (source, SourceSpan::new(start.into(), len))
        }
    }
}

/// One problem in a pipeline file.
#[derive(Debug)]
pub struct SpecDiagnostic {
    pub code: &'static str,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    source: NamedSource<String>,
    span: SourceSpan,
    /// Where the problem is, for sorting.
    pub position: usize,
}

impl SpecDiagnostic {
    pub fn new(
        sources: &Sources,
        code: &'static str,
        span: &ByteSpan,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let (source, located) = sources.locate(span);
        Self {
            code,
            message: message.into(),
            label: label.into(),
            help: None,
            source,
            span: located,
            position: span.start,
        }
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

impl fmt::Display for SpecDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SpecDiagnostic {}

impl Diagnostic for SpecDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some(self.label.clone()), self.span))))
    }
}

/// Every problem found in a pipeline, sorted by place.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: {count} problem{s} found; nothing was run", count = errors.len(), s = if errors.len() == 1 { "" } else { "s" })]
#[diagnostic(code(t2d::spec::invalid))]
pub struct InvalidPipeline {
    pub file: String,
    #[related]
    pub errors: Vec<SpecDiagnostic>,
}
