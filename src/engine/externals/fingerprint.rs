//! Content digests of a file or a whole folder tree.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
    /// Relative path → digest of every file (one entry, named "", for a plain file).
    pub files: Vec<(String, ContentDigest)>,
}

/// Fingerprints a file or a folder (every file below it, by relative path and content).
pub fn fingerprint(path: &Path, stats: &StatCache) -> Result<Fingerprint, FingerprintError> {
    let err = |source| FingerprintError { path: path.to_path_buf(), source };
    let meta = fs::metadata(path).map_err(err)?;
    if meta.is_file() {
        let digest = file_digest(path, "", &meta, &stats.root(path))?;
        let mut h = blake3::Hasher::new();
        h.update(b"file\0").update(digest.as_bytes());
        return Ok(Fingerprint {
            digest: ContentDigest::from_hash(h.finalize()),
            files: vec![(String::new(), digest)],
        });
    }
    // Listing the folder and reading its stat cache are both serial: do them side by side.
    let (stats, listing) = rayon::join(
        || stats.root(path),
        || {
            let mut listing = Vec::new();
            list_files(path, Path::new(""), &mut listing).map(|()| listing)
        },
    );
    let listing = listing?;
    let mut files: Vec<(String, ContentDigest)> = listing
        .into_par_iter()
        .with_min_len(256)
        .map(|(rel, entry)| {
            let err = |source| FingerprintError { path: entry.path(), source };
            // stat relative to the open folder (no full path walk); follow links like fs::metadata.
            let meta = match entry.file_type().map_err(err)?.is_symlink() {
                true => fs::metadata(entry.path()).map_err(err)?,
                false => entry.metadata().map_err(err)?,
            };
            let stat = FileStat::of(&meta);
            let digest = match stats.lookup(&rel, &stat) {
                Some(digest) => digest,
                None => hash_file(&entry.path(), &rel, stat, &stats)?,
            };
            Ok((rel, digest))
        })
        .collect::<Result<_, FingerprintError>>()?;
    files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut h = blake3::Hasher::new();
    h.update(b"tree\0");
    for (rel, digest) in &files {
        h.update(rel.as_bytes()).update(b"\0").update(digest.as_bytes());
    }
    Ok(Fingerprint { digest: ContentDigest::from_hash(h.finalize()), files })
}

fn list_files(dir: &Path, rel: &Path, out: &mut Vec<(String, fs::DirEntry)>) -> Result<(), FingerprintError> {
    let err = |source| FingerprintError { path: dir.to_path_buf(), source };
    for entry in fs::read_dir(dir).map_err(err)? {
        let entry = entry.map_err(err)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(err)?;
        let rel_path = rel.join(&name);
        if kind.is_dir() {
            list_files(&entry.path(), &rel_path, out)?;
        } else {
            out.push((rel_path.to_string_lossy().into_owned(), entry));
        }
    }
    Ok(())
}

fn file_digest(
    path: &Path,
    rel: &str,
    meta: &fs::Metadata,
    stats: &RootStats,
) -> Result<ContentDigest, FingerprintError> {
    let stat = FileStat::of(meta);
    match stats.lookup(rel, &stat) {
        Some(digest) => Ok(digest),
        None => hash_file(path, rel, stat, stats),
    }
}

/// Reads and hashes a file the stat cache did not know, and records its digest.
fn hash_file(path: &Path, rel: &str, stat: FileStat, stats: &RootStats) -> Result<ContentDigest, FingerprintError> {
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
        assert_eq!(stats.root(&file).lookup("", &FileStat::of(&meta)), Some(first.files[0].1));
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
        assert_eq!(stats.root(&a).lookup("x.jpg", &FileStat::of(&meta)), Some(fa.files[0].1), "reloaded");
        assert_eq!(stats.root(&a).lookup("x.jpg", &FileStat { size: 0, ..FileStat::of(&meta) }), None);
        assert_eq!(fingerprint(&b, &stats).unwrap().digest, fb.digest);
    }
}
