//! The cache as a local folder.
//!
//! ```text
//! cache/objects/ab/cdef…      content-addressed artifact bytes
//! cache/keys/ab/cdef….json    one manifest per node key (written last: its presence means complete)
//! cache/docs/…                run records and per-node history (for `--dry-run` reasons)
//! cache/locks/…               per-key reservations and the exec/gc lock
//! ```

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::{write_atomic, write_atomic_unsynced, Lookup, Manifest, Reservation, Store, StoreError, FORMAT_VERSION};
use crate::engine::digest::{ContentDigest, NodeKey};

pub struct LocalStore {
    root: PathBuf,
}

struct FileLock(#[allow(dead_code)] File);
impl Reservation for FileLock {}

impl LocalStore {
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, StoreError> {
        let root = root.into();
        for sub in ["objects", "keys", "docs", "locks"] {
            let dir = root.join(sub);
            fs::create_dir_all(&dir).map_err(|source| StoreError::Io { path: dir, source })?;
        }
        Ok(Self { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn io(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
        move |source| StoreError::Io { path: path.to_path_buf(), source }
    }

    fn object_path(&self, digest: &ContentDigest) -> PathBuf {
        let hex = digest.hex();
        self.root.join("objects").join(&hex[..2]).join(&hex[2..])
    }

    fn manifest_path(&self, key: &NodeKey) -> PathBuf {
        let hex = key.hex();
        self.root.join("keys").join(&hex[..2]).join(format!("{}.json", &hex[2..]))
    }

    fn doc_path(&self, name: &str) -> PathBuf {
        self.root.join("docs").join(name)
    }

    /// A lock file under `locks/`; exclusive or shared, blocking after one `waiting` call.
    pub fn lock(&self, name: &str, shared: bool, waiting: &dyn Fn()) -> Result<File, StoreError> {
        let path = self.root.join("locks").join(name);
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(Self::io(&path))?;
        let attempt = if shared { file.try_lock_shared() } else { file.try_lock() };
        match attempt {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => {
                waiting();
                if shared { file.lock_shared() } else { file.lock() }.map_err(Self::io(&path))?;
                Ok(file)
            }
            Err(fs::TryLockError::Error(e)) => Err(StoreError::Io { path, source: e }),
        }
    }

    /// Every manifest key present, for `gc` and `verify`.
    pub fn manifest_keys(&self) -> Result<Vec<NodeKey>, StoreError> {
        let mut keys = Vec::new();
        for (prefix, name) in walk_two_levels(&self.root.join("keys"))? {
            if let Some(rest) = name.strip_suffix(".json") {
                if let Ok(key) = format!("{prefix}{rest}").parse() {
                    keys.push(key);
                }
            }
        }
        Ok(keys)
    }

    /// Every object present with its size on disk.
    pub fn objects(&self) -> Result<Vec<(ContentDigest, u64)>, StoreError> {
        let mut out = Vec::new();
        for (prefix, name) in walk_two_levels(&self.root.join("objects"))? {
            if let Ok(digest) = format!("{prefix}{name}").parse::<ContentDigest>() {
                let len = fs::metadata(self.object_path(&digest)).map(|m| m.len()).unwrap_or(0);
                out.push((digest, len));
            }
        }
        Ok(out)
    }

    pub fn remove_object(&self, digest: &ContentDigest) -> Result<(), StoreError> {
        let path = self.object_path(digest);
        remove_if_present(&path)
    }

    pub fn remove_manifest(&self, key: &NodeKey) -> Result<(), StoreError> {
        remove_if_present(&self.manifest_path(key))
    }

    pub fn remove_doc(&self, name: &str) -> Result<(), StoreError> {
        remove_if_present(&self.doc_path(name))
    }

    /// Reads a manifest without checking its objects.
    pub fn read_manifest(&self, key: &NodeKey) -> Result<Option<Manifest>, StoreError> {
        let path = self.manifest_path(key);
        match fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice::<Manifest>(&bytes)
                .ok()
                .filter(|m| m.format == FORMAT_VERSION && m.key == *key)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(StoreError::Io { path: path.to_path_buf(), source }),
    }
}

/// `(first-level folder name, file name)` for every file two levels below `dir`, skipping temp files.
fn walk_two_levels(dir: &Path) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    let io = |source| StoreError::Io { path: dir.to_path_buf(), source };
    for shard in fs::read_dir(dir).map_err(io)? {
        let shard = shard.map_err(io)?;
        let prefix = shard.file_name().to_string_lossy().into_owned();
        if !shard.path().is_dir() {
            continue;
        }
        for entry in fs::read_dir(shard.path()).map_err(io)? {
            let name = entry.map_err(io)?.file_name().to_string_lossy().into_owned();
            if !name.starts_with(".tmp-") {
                out.push((prefix.clone(), name));
            }
        }
    }
    Ok(out)
}

impl Store for LocalStore {
    fn put_object(&self, bytes: &[u8]) -> Result<ContentDigest, StoreError> {
        let digest = ContentDigest::of(bytes);
        if !self.has_object(&digest, bytes.len() as u64) {
            let path = self.object_path(&digest);
            write_atomic(&path, bytes).map_err(Self::io(&path))?;
        }
        Ok(digest)
    }

    fn read_object(&self, digest: &ContentDigest, size: u64) -> Result<Vec<u8>, StoreError> {
        let path = self.object_path(digest);
        let bytes = fs::read(&path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => StoreError::Missing(digest.hex()),
            _ => StoreError::Io { path: path.clone(), source: e },
        })?;
        if bytes.len() as u64 != size {
            return Err(StoreError::Damaged { digest: digest.hex(), expected: size, found: bytes.len() as u64 });
        }
        Ok(bytes)
    }

    fn has_object(&self, digest: &ContentDigest, size: u64) -> bool {
        fs::metadata(self.object_path(digest)).is_ok_and(|m| m.len() == size)
    }

    fn locate_object(&self, digest: &ContentDigest) -> PathBuf {
        self.object_path(digest)
    }

    fn lookup(&self, key: &NodeKey) -> Result<Lookup, StoreError> {
        let Some(manifest) = self.read_manifest(key)? else {
            return Ok(Lookup::Miss);
        };
        let complete =
            manifest.outputs.values().flat_map(|a| a.objects()).all(|(digest, size)| self.has_object(&digest, size));
        Ok(if complete { Lookup::Hit(Box::new(manifest)) } else { Lookup::Incomplete })
    }

    fn write_manifest(&self, manifest: &Manifest) -> Result<(), StoreError> {
        let path = self.manifest_path(&manifest.key);
        let bytes = serde_json::to_vec_pretty(manifest).expect("manifests always serialise");
        write_atomic(&path, &bytes).map_err(Self::io(&path))
    }

    fn reserve(&self, key: &NodeKey, waiting: &dyn Fn()) -> Result<Box<dyn Reservation>, StoreError> {
        let file = self.lock(&format!("{}.lock", key.hex()), false, waiting)?;
        Ok(Box::new(FileLock(file)))
    }

    fn write_doc(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        let path = self.doc_path(name);
        write_atomic_unsynced(&path, bytes).map_err(Self::io(&path))
    }

    fn read_doc(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.doc_path(name);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Io { path, source }),
        }
    }

    fn list_docs(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let dir = self.doc_path(prefix);
        let mut names = Vec::new();
        match fs::read_dir(&dir) {
            Ok(entries) => {
                for entry in entries {
                    let name = entry.map_err(Self::io(&dir))?.file_name().to_string_lossy().into_owned();
                    if !name.starts_with(".tmp-") {
                        names.push(format!("{prefix}/{name}"));
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::Io { path: dir, source }),
        }
        names.sort();
        Ok(names)
    }
}
