//! Content digests of a file or a whole folder tree.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::listing::Listing;
use super::stat_cache::{FileStat, RootStats, StatCache};
use crate::engine::digest::ContentDigest;

/// Files above this size are hashed with memory mapping on all cores.
const PARALLEL_HASH_BYTES: u64 = 16 << 20;

#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct FingerprintError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

#[derive(Clone, Debug)]
pub struct Fingerprint {
    pub digest: ContentDigest,
    /// Every file's digest, by relative path (one file, named "", for a root that is a file).
    pub files: FileDigests,
}

/// Relative path → content digest of each file of a root, in path order, in one buffer.
#[derive(Clone, Debug, Default)]
pub struct FileDigests {
    paths: Vec<u8>,
    files: Vec<(u32, u32, ContentDigest)>,
}

impl FileDigests {
    fn with_capacity(files: usize) -> Self {
        Self { paths: Vec::with_capacity(files * 16), files: Vec::with_capacity(files) }
    }

    fn push(&mut self, rel: &[u8], digest: ContentDigest) {
        let start = self.paths.len() as u32;
        self.paths.extend_from_slice(rel);
        self.files.push((start, self.paths.len() as u32, digest));
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn rel(&self, (start, end, _): &(u32, u32, ContentDigest)) -> &[u8] {
        &self.paths[*start as usize..*end as usize]
    }

    /// (relative path, digest) of each file, in path order; a path that is not UTF-8 is shown lossily.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, ContentDigest)> + '_ {
        self.files.iter().map(|f| (String::from_utf8_lossy(self.rel(f)), f.2))
    }

    /// The digest of a folder: its files' paths and digests, in path order.
    fn tree_digest(&self) -> ContentDigest {
        let mut stream = Vec::with_capacity(5 + self.paths.len() + self.files.len() * 33);
        stream.extend_from_slice(b"tree\0");
        for f in &self.files {
            stream.extend_from_slice(self.rel(f));
            stream.push(0);
            stream.extend_from_slice(f.2.as_bytes());
        }
        ContentDigest::from_hash(blake3::hash(&stream))
    }
}

/// Fingerprints a file or a folder (every file below it, by relative path and content).
pub fn fingerprint(path: &Path, stats: &StatCache) -> Result<Fingerprint, FingerprintError> {
    let err = |source| FingerprintError { path: path.to_path_buf(), source };
    let meta = fs::metadata(path).map_err(err)?;
    if meta.is_file() {
        let digest = file_digest(path, &meta, &stats.root(path))?;
        let mut h = blake3::Hasher::new();
        h.update(b"file\0").update(digest.as_bytes());
        let mut files = FileDigests::with_capacity(1);
        files.push(b"", digest);
        return Ok(Fingerprint { digest: ContentDigest::from_hash(h.finalize()), files });
    }
    // Listing the folder and reading its stat cache are both serial: do them side by side.
    let (stats, listing) = rayon::join(|| stats.root(path), || Listing::of(path));
    let listing = listing.map_err(|(path, source)| FingerprintError { path, source })?;
    let order = listing.sorted();
    let digests: Vec<ContentDigest> = order
        .par_iter()
        .with_min_len(1024)
        .map_init(
            || 0,
            |next, &id| {
                let (rel, stat) = (listing.rel(id), listing.stat(id));
                match stats.lookup_near(next, rel, &stat) {
                    Some(digest) => Ok(digest),
                    None => hash_file(&listing.full_path(id), rel, stat, &stats),
                }
            },
        )
        .collect::<Result<_, FingerprintError>>()?;
    let mut files = FileDigests::with_capacity(order.len());
    for (&id, digest) in order.iter().zip(digests) {
        files.push(listing.rel(id), digest);
    }
    Ok(Fingerprint { digest: files.tree_digest(), files })
}

fn file_digest(path: &Path, meta: &fs::Metadata, stats: &RootStats) -> Result<ContentDigest, FingerprintError> {
    let stat = FileStat::of(meta);
    match stats.lookup(b"", &stat) {
        Some(digest) => Ok(digest),
        None => hash_file(path, b"", stat, stats),
    }
}

/// Reads and hashes a file the stat cache did not know, and records its digest.
fn hash_file(path: &Path, rel: &[u8], stat: FileStat, stats: &RootStats) -> Result<ContentDigest, FingerprintError> {
    let err = |source| FingerprintError { path: path.to_path_buf(), source };
    let mut hasher = blake3::Hasher::new();
    if stat.size >= PARALLEL_HASH_BYTES {
        hasher.update_mmap_rayon(path).map_err(err)?;
    } else {
        hasher.update(&fs::read(path).map_err(err)?);
    }
    let digest = ContentDigest::from_hash(hasher.finalize());
    stats.record(rel, stat, digest);
    Ok(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_digest_follows_content_not_timestamps() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("images")).unwrap();
        fs::write(dir.path().join("styles.csv"), "id\n1\n").unwrap();
        fs::write(dir.path().join("images/1.jpg"), "x").unwrap();
        let stats = StatCache::in_memory();
        let a = fingerprint(dir.path(), &stats).unwrap();
        assert_eq!(a.files.len(), 2);
        // Touch without change: same digest.
        fs::write(dir.path().join("images/1.jpg"), "x").unwrap();
        assert_eq!(fingerprint(dir.path(), &stats).unwrap().digest, a.digest);
        fs::write(dir.path().join("images/1.jpg"), "y").unwrap();
        assert_ne!(fingerprint(dir.path(), &stats).unwrap().digest, a.digest);
    }

    #[test]
    fn stat_cache_avoids_rehashing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "abc").unwrap();
        let stats = StatCache::in_memory();
        let first = fingerprint(&file, &stats).unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!(stats.root(&file).lookup(b"", &FileStat::of(&meta)), Some(first.files.iter().next().unwrap().1));
    }

    #[test]
    fn each_root_has_its_own_stat_file_read_only_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for d in [&a, &b] {
            fs::create_dir(d).unwrap();
            fs::write(d.join("x.jpg"), d.to_string_lossy().as_bytes()).unwrap();
        }
        let cache = dir.path().join("stat");
        let stats = StatCache::load(cache.clone());
        let (fa, fb) = (fingerprint(&a, &stats).unwrap(), fingerprint(&b, &stats).unwrap());
        stats.save().unwrap();
        assert_eq!(fs::read_dir(&cache).unwrap().count(), 2, "one file per root");

        let stats = StatCache::load(cache.clone());
        let meta = fs::metadata(a.join("x.jpg")).unwrap();
        let first = fa.files.iter().next().unwrap().1;
        assert_eq!(stats.root(&a).lookup(b"x.jpg", &FileStat::of(&meta)), Some(first), "reloaded");
        assert_eq!(stats.root(&a).lookup(b"x.jpg", &FileStat { size: 0, ..FileStat::of(&meta) }), None);
        assert_eq!(fingerprint(&b, &stats).unwrap().digest, fb.digest);
    }
}
