//! (size, mtime, inode) of each file → content digest, so unchanged files are not rehashed.
//!
//! Local to one machine and never part of a key. One file per fingerprinted root (a dataset or
//! model folder), keyed by the path below it, loaded only when that root is fingerprinted: a
//! pipeline that does not read a 440,000-image dataset does not pay for its entries. Stored as a
//! [`StatTable`]; written atomically when something changed; two processes writing one at once
//! lose only cache hits.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::stat_table::{Digest, StatTable};
use crate::engine::digest::ContentDigest;
use crate::engine::store::write_atomic;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    pub size: u64,
    pub mtime_ns: i128,
    pub inode: u64,
}

impl FileStat {
    pub fn new(size: u64, mtime_seconds: i64, mtime_nanos: i64, inode: u64) -> Self {
        Self { size, mtime_ns: mtime_seconds as i128 * 1_000_000_000 + mtime_nanos as i128, inode }
    }

    pub fn of(meta: &fs::Metadata) -> Self {
        Self::new(meta.len(), meta.mtime(), meta.mtime_nsec(), meta.ino())
    }
}

/// The stat caches of every root, kept in one folder (`cache/stat/`).
pub struct StatCache {
    dir: Option<PathBuf>,
    roots: Mutex<HashMap<PathBuf, Arc<RootStats>>>,
}

impl StatCache {
    /// Stat caches kept in `dir`, each read on first use (a missing or unreadable one starts empty).
    pub fn load(dir: PathBuf) -> Self {
        Self { dir: Some(dir), roots: Mutex::new(HashMap::new()) }
    }

    /// Stat caches that remember nothing between processes.
    pub fn in_memory() -> Self {
        Self { dir: None, roots: Mutex::new(HashMap::new()) }
    }

    /// The stat cache of the file or folder at `root`.
    pub fn root(&self, root: &Path) -> Arc<RootStats> {
        let mut roots = self.roots.lock().unwrap_or_else(|p| p.into_inner());
        let stats = roots.entry(root.to_path_buf()).or_insert_with(|| {
            let file = self
                .dir
                .as_ref()
                .map(|dir| dir.join(format!("{}.bin", blake3::hash(root.as_os_str().as_encoded_bytes()).to_hex())));
            let known = file.as_ref().and_then(|f| fs::read(f).ok()).and_then(StatTable::decode).unwrap_or_default();
            Arc::new(RootStats { file, known, fresh: Mutex::new(FxHashMap::default()) })
        });
        stats.clone()
    }

    /// Writes back every root's cache that recorded something.
    pub fn save(self) -> std::io::Result<()> {
        let roots = self.roots.into_inner().unwrap_or_else(|p| p.into_inner());
        if let (Some(dir), true) = (&self.dir, roots.values().any(|r| r.has_fresh())) {
            fs::create_dir_all(dir)?;
        }
        roots.into_values().filter_map(|r| Arc::try_unwrap(r).ok()).try_for_each(RootStats::save)
    }
}

/// One root's entries, by path relative to the root ("" for a root that is a file).
pub struct RootStats {
    file: Option<PathBuf>,
    /// Read without locking (many threads look up at once); new digests go to `fresh`.
    known: StatTable,
    fresh: Mutex<FxHashMap<Vec<u8>, (FileStat, Digest)>>,
}

impl RootStats {
    pub fn lookup(&self, rel: &[u8], stat: &FileStat) -> Option<ContentDigest> {
        self.lookup_near(&mut 0, rel, stat)
    }

    /// [`lookup`](Self::lookup) for paths asked in increasing order: `next` remembers where the
    /// last one was, so a sorted listing costs one comparison per file instead of a search.
    pub fn lookup_near(&self, next: &mut usize, rel: &[u8], stat: &FileStat) -> Option<ContentDigest> {
        let at = match *next < self.known.len() && self.known.path(*next) == rel {
            true => Ok(*next),
            false => self.known.find(rel),
        };
        let found = match at {
            Ok(i) => {
                *next = i + 1;
                Some(self.known.entry(i))
            }
            Err(i) => {
                *next = i;
                self.fresh.lock().ok()?.get(rel).copied()
            }
        };
        let (known, digest) = found?;
        (known == *stat).then(|| ContentDigest::from_hash(blake3::Hash::from_bytes(digest)))
    }

    pub fn record(&self, rel: &[u8], stat: FileStat, digest: ContentDigest) {
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(rel.to_vec(), (stat, *digest.as_bytes()));
        }
    }

    fn has_fresh(&self) -> bool {
        self.fresh.lock().is_ok_and(|f| !f.is_empty())
    }

    fn save(self) -> std::io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        let fresh = self.fresh.into_inner().unwrap_or_else(|p| p.into_inner());
        if fresh.is_empty() {
            return Ok(());
        }
        let known = &self.known;
        let mut records: Vec<(&[u8], FileStat, Digest)> = (0..known.len())
            .filter(|&i| !fresh.contains_key(known.path(i)))
            .map(|i| {
                let (stat, digest) = known.entry(i);
                (known.path(i), stat, digest)
            })
            .chain(fresh.iter().map(|(rel, (stat, digest))| (rel.as_slice(), *stat, *digest)))
            .collect();
        records.sort_unstable_by(|a, b| a.0.cmp(b.0));
        write_atomic(file, &StatTable::encode(records.into_iter()))
    }
}
