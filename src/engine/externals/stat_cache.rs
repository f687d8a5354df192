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

#[derive(Default, Serialize, Deserialize)]
struct Entries(HashMap<String, (FileStat, [u8; 32])>);

pub struct StatCache {
    file: Option<PathBuf>,
    entries: Mutex<(Entries, bool)>,
}

impl StatCache {
    /// Loads the stat cache kept at `file` (a missing or unreadable file starts empty).
    pub fn load(file: PathBuf) -> Self {
        let entries = fs::read(&file).ok().and_then(|bytes| postcard::from_bytes(&bytes).ok()).unwrap_or_default();
        Self { file: Some(file), entries: Mutex::new((entries, false)) }
    }

    /// A stat cache that remembers nothing between processes.
    pub fn in_memory() -> Self {
        Self { file: None, entries: Mutex::new((Entries::default(), false)) }
    }

    pub fn lookup(&self, path: &Path, stat: &FileStat) -> Option<ContentDigest> {
        let guard = self.entries.lock().ok()?;
        let (known, digest) = guard.0 .0.get(path.to_str()?)?;
        (known == stat).then(|| ContentDigest::from_hash(blake3::Hash::from_bytes(*digest)))
    }

    pub fn record(&self, path: &Path, stat: FileStat, digest: ContentDigest) {
        if let (Ok(mut guard), Some(p)) = (self.entries.lock(), path.to_str()) {
            guard.0 .0.insert(p.to_string(), (stat, *digest.as_bytes()));
            guard.1 = true;
        }
    }

    /// Writes the cache back if anything was recorded.
    pub fn save(&self) -> std::io::Result<()> {
        let (Some(file), Ok(guard)) = (&self.file, self.entries.lock()) else {
            return Ok(());
        };
        if !guard.1 {
            return Ok(());
        }
        let bytes = postcard::to_allocvec(&guard.0).map_err(std::io::Error::other)?;
        write_atomic(file, &bytes)
    }
}
