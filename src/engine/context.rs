//! What a running stage may use from the engine: its params, cores, the store, the item
//! memo, progress bars and a log. Everything else about the engine stays hidden.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use super::digest::ContentDigest;
use super::memo::{ItemKey, Memo};
use super::stage::{Params, StageError};
use super::store::Store;

pub struct StageContext<'a> {
    pub node: &'a str,
    pub params: &'a Params,
    /// Cores this stage may use (ONNX Runtime intra-op threads, rayon work is pooled globally).
    pub threads: usize,
    /// Folder that relative paths in params are resolved against.
    pub root: &'a Path,
    store: &'a dyn Store,
    memo: Option<&'a Memo>,
    memo_ns: String,
    bars: Option<&'a MultiProgress>,
    log: Mutex<Vec<String>>,
    externals: std::collections::BTreeMap<String, ContentDigest>,
}

impl<'a> StageContext<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        node: &'a str,
        kind_and_version: (&str, u32),
        params: &'a Params,
        threads: usize,
        root: &'a Path,
        store: &'a dyn Store,
        memo: Option<&'a Memo>,
        bars: Option<&'a MultiProgress>,
    ) -> Self {
        Self {
            node,
            params,
            threads,
            root,
            store,
            memo,
            memo_ns: format!("{}/v{}", kind_and_version.0, kind_and_version.1),
            bars,
            log: Mutex::new(Vec::new()),
            externals: Default::default(),
        }
    }

    /// Sets the content digests of the node's external files (by path param).
    pub fn with_externals(mut self, externals: std::collections::BTreeMap<String, ContentDigest>) -> Self {
        self.externals = externals;
        self
    }

    /// The content digest of the file or folder a path param names (e.g. a model folder),
    /// for per-item memo keys.
    pub fn external_digest(&self, param: &str) -> Result<ContentDigest, StageError> {
        self.externals
            .get(param)
            .copied()
            .ok_or_else(|| StageError::new(format!("internal: `{param}` is not an external of this node")))
    }

    /// A path param resolved against the project root.
    pub fn path(&self, param: &str) -> Result<PathBuf, StageError> {
        Ok(self.root.join(self.params.str(param)?))
    }

    /// Records a warning in the node's manifest and the run log.
    pub fn warn(&self, message: impl Into<String>) {
        self.log(format!("warning: {}", message.into()));
    }

    /// Records a note (what was reused, what was computed) in the node's manifest and the run log.
    pub fn note(&self, message: impl Into<String>) {
        self.log(format!("note: {}", message.into()));
    }

    fn log(&self, message: String) {
        tracing::debug!(node = self.node, "{message}");
        self.log.lock().unwrap_or_else(|p| p.into_inner()).push(message);
    }

    pub fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// A progress bar for `total` items (hidden when output is not a terminal).
    pub fn progress(&self, total: u64, what: &str) -> ProgressBar {
        let Some(bars) = self.bars else {
            return ProgressBar::hidden();
        };
        let bar = bars.add(ProgressBar::new(total));
        bar.set_style(
            ProgressStyle::with_template("  {prefix} {bar:30} {pos}/{len} {msg} {per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(format!("{} {what}", self.node));
        bar
    }

    /// Looks up per-item results of this stage kind (`None` for items never computed).
    pub fn memo_get(&self, keys: &[ItemKey]) -> Result<Vec<Option<Vec<u8>>>, StageError> {
        match self.memo {
            Some(memo) => memo.get_many(&self.memo_ns, keys).map_err(|e| StageError::new(e.to_string())),
            None => Ok(vec![None; keys.len()]),
        }
    }

    pub fn memo_put(&self, items: &[(ItemKey, Vec<u8>)]) -> Result<(), StageError> {
        match self.memo {
            Some(memo) => memo.put_many(&self.memo_ns, items).map_err(|e| StageError::new(e.to_string())),
            None => Ok(()),
        }
    }

    /// Stores bytes in the object store (e.g. a generated image referenced from the memo).
    pub fn put_blob(&self, bytes: &[u8]) -> Result<ContentDigest, StageError> {
        self.store.put_object(bytes).map_err(|e| StageError::new(e.to_string()))
    }

    pub fn read_blob(&self, digest: &ContentDigest, size: u64) -> Option<Vec<u8>> {
        self.store.read_object(digest, size).ok()
    }
}
