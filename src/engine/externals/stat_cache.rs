//! (path, size, mtime, inode) → content digest, so unchanged files are not rehashed.
//!
//! Local to one machine and never part of a key. Kept as one file, read whole and written
//! atomically when something changed; two processes writing it at once lose only cache hits.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::engine::digest::ContentDigest;
use crate::engine::store::write_atomic;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStat {
    pub size: u64,
    pub mtime_ns: i128,
    pub inode: u64,
}

impl FileStat {
    pub fn of(meta: &fs::Metadata) -> Self {
        Self {
            size: meta.len(),
            mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
            inode: meta.ino(),
        }
    }
}

type Entry = (FileStat, [u8; 32]);

#[derive(Default, Serialize, Deserialize)]
struct Entries(HashMap<String, Entry>);

pub struct StatCache {
    file: Option<PathBuf>,
    /// Read without locking (many threads look up at once); new digests go to `fresh`.
    known: Entries,
    fresh: Mutex<HashMap<String, Entry>>,
}

impl StatCache {
    /// Loads the stat cache kept at `file` (a missing or unreadable file starts empty).
    pub fn load(file: PathBuf) -> Self {
        let entries = fs::read(&file).ok().and_then(|bytes| postcard::from_bytes(&bytes).ok()).unwrap_or_default();
        Self { file: Some(file), known: entries, fresh: Mutex::new(HashMap::new()) }
    }

    /// A stat cache that remembers nothing between processes.
    pub fn in_memory() -> Self {
        Self { file: None, known: Entries::default(), fresh: Mutex::new(HashMap::new()) }
    }

    pub fn lookup(&self, path: &Path, stat: &FileStat) -> Option<ContentDigest> {
        let key = path.to_str()?;
        let hit = |(known, digest): &Entry| {
            (known == stat).then(|| ContentDigest::from_hash(blake3::Hash::from_bytes(*digest)))
        };
        match self.known.0.get(key).and_then(hit) {
            Some(digest) => Some(digest),
            None => self.fresh.lock().ok()?.get(key).and_then(hit),
        }
    }

    pub fn record(&self, path: &Path, stat: FileStat, digest: ContentDigest) {
        if let (Ok(mut fresh), Some(p)) = (self.fresh.lock(), path.to_str()) {
            fresh.insert(p.to_string(), (stat, *digest.as_bytes()));
        }
    }

    /// Writes the cache back if anything was recorded.
    pub fn save(self) -> std::io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        let fresh = self.fresh.into_inner().unwrap_or_else(|p| p.into_inner());
        if fresh.is_empty() {
            return Ok(());
        }
        let mut entries = self.known;
        entries.0.extend(fresh);
        let bytes = postcard::to_allocvec(&entries).map_err(std::io::Error::other)?;
        write_atomic(file, &bytes)
    }
}
