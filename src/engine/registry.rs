//! The node kinds a pipeline may name.
//!
//! The shipped registry is built in `stages`; tests build their own with test-only kinds.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::stage::Stage;

#[derive(Clone, Default)]
pub struct Registry {
    kinds: BTreeMap<&'static str, Arc<dyn Stage>>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, stage: impl Stage + 'static) -> Self {
        self.kinds.insert(stage.kind(), Arc::new(stage));
        self
    }

    pub fn get(&self, kind: &str) -> Option<&Arc<dyn Stage>> {
        self.kinds.get(kind)
    }

    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.kinds.keys().copied()
    }
}
