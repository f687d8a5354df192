//! The one trait through which the engine runs work, and the types a stage sees.
//!
//! The engine knows stages only through [`Stage`]; stages know the engine only through
//! [`StageContext`], [`Inputs`] and [`Outputs`]. Nothing here knows what a stage computes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::artifact::{Artifact, ArtifactKind};
use super::context::StageContext;
use super::inputs::Inputs;
use super::schema::{ParamSpec, ParamType};
use super::value::Value;

pub use super::stage_error::StageError;

/// A named input a node kind expects.
#[derive(Clone, Debug)]
pub struct InputSlot {
    pub name: &'static str,
    pub doc: &'static str,
}

/// A named artifact a node kind produces.
#[derive(Clone, Debug)]
pub struct OutputSlot {
    pub name: &'static str,
    pub kind: ArtifactKind,
    pub doc: &'static str,
    pub publish: Publish,
}

/// Where an output goes under `outputs/<pipeline>/` after an exec.
#[derive(Clone, Debug, PartialEq)]
pub enum Publish {
    /// `<node>/<output>.<ext>` (a bundle: `<node>/<output>/<file>`).
    Default,
    /// A fixed path (a bundle: a folder), e.g. `prompts/base_prompts.json`.
    At(&'static str),
    /// Kept in the cache only (e.g. the sampled source images).
    Hidden,
}

impl OutputSlot {
    pub fn new(name: &'static str, kind: ArtifactKind) -> Self {
        Self { name, kind, doc: "", publish: Publish::Default }
    }
    pub fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }
    pub fn hidden(mut self) -> Self {
        self.publish = Publish::Hidden;
        self
    }
    pub fn publish_at(mut self, path: &'static str) -> Self {
        self.publish = Publish::At(path);
        self
    }
}

/// A file or folder outside the cache whose contents a node depends on.
#[derive(Clone, Debug)]
pub struct External {
    /// The param that names it; the key hashes its contents under this name, never the path text.
    pub param: String,
    pub path: PathBuf,
    /// What makes it, for the error when it is missing (e.g. the command that creates it).
    pub help: Option<String>,
}

/// The outputs a stage produced, by output name.
pub type Outputs = BTreeMap<String, Artifact>;

/// A node kind: what it takes, what it makes, and how.
pub trait Stage: Send + Sync {
    fn kind(&self) -> &'static str;
    /// Bump when the meaning of the outputs changes: every cached result of the kind is invalidated.
    fn version(&self) -> u32;
    fn doc(&self) -> &'static str {
        ""
    }
    fn inputs(&self) -> Vec<InputSlot>;
    fn outputs(&self) -> Vec<OutputSlot>;
    fn params(&self) -> Vec<ParamSpec>;

    /// Checks that span several params (e.g. `k_min <= k_max`): `(param, message)` pairs.
    fn check(&self, _params: &Params) -> Vec<(String, String)> {
        Vec::new()
    }

    /// External files and folders the outputs depend on; by default every `Path` param.
    fn externals(&self, params: &Params) -> Vec<External> {
        self.params()
            .iter()
            .filter(|p| matches!(p.ty, ParamType::Path))
            .filter_map(|p| {
                let path = params.get(p.name)?.as_str()?;
                Some(External { param: p.name.to_string(), path: PathBuf::from(path), help: None })
            })
            .collect()
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError>;
}

/// A node's resolved params (validated against the stage's schema, defaults filled in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(pub BTreeMap<String, Value>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    fn require(&self, name: &str) -> Result<&Value, StageError> {
        self.0.get(name).ok_or_else(|| StageError::new(format!("internal: param `{name}` was not resolved")))
    }

    fn wrong(name: &str, what: &str) -> StageError {
        StageError::new(format!("internal: param `{name}` is not {what}"))
    }

    pub fn int(&self, name: &str) -> Result<i64, StageError> {
        self.require(name)?.as_i64().ok_or_else(|| Self::wrong(name, "an integer"))
    }

    pub fn usize(&self, name: &str) -> Result<usize, StageError> {
        usize::try_from(self.int(name)?).map_err(|_| Self::wrong(name, "a non-negative integer"))
    }

    pub fn float(&self, name: &str) -> Result<f64, StageError> {
        self.require(name)?.as_f64().ok_or_else(|| Self::wrong(name, "a number"))
    }

    pub fn str(&self, name: &str) -> Result<&str, StageError> {
        self.require(name)?.as_str().ok_or_else(|| Self::wrong(name, "a string"))
    }

    pub fn bool(&self, name: &str) -> Result<bool, StageError> {
        self.require(name)?.as_bool().ok_or_else(|| Self::wrong(name, "a boolean"))
    }

    pub fn strings(&self, name: &str) -> Result<Vec<String>, StageError> {
        let list = self.require(name)?.as_list().ok_or_else(|| Self::wrong(name, "a list"))?;
        list.iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(|| Self::wrong(name, "a list of strings")))
            .collect()
    }
}
