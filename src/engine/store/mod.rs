//! Where artifacts and cache entries live, behind a small interface.
//!
//! Today a local folder ([`LocalStore`]); object storage later. Workers on other machines
//! (`t2d run-node`) read inputs from and write outputs to the same interface.

mod atomic;
mod local;
mod manifest;

use std::path::PathBuf;

pub use atomic::{replace_dir, write_atomic, write_atomic_unsynced};
pub use local::LocalStore;
pub use manifest::{ArtifactRef, Manifest, MemberRef, FORMAT_VERSION};

use super::digest::{ContentDigest, NodeKey};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot access the cache at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("object {digest} in the cache is damaged (expected {expected} bytes, found {found}); run `t2d verify` to drop damaged entries")]
    Damaged { digest: String, expected: u64, found: u64 },
    #[error("object {0} is missing from the cache")]
    Missing(String),
}

/// Why a stored entry cannot be used.
#[derive(Debug, Clone)]
pub enum Lookup {
    Hit(Box<Manifest>),
    Miss,
    /// A manifest exists but an object it needs is gone or the wrong size.
    Incomplete,
}

/// A held reservation on a key: while it lives, no other process computes the same key.
pub trait Reservation: Send {}

pub trait Store: Send + Sync {
    fn put_object(&self, bytes: &[u8]) -> Result<ContentDigest, StoreError>;
    /// Reads an object, checking its size.
    fn read_object(&self, digest: &ContentDigest, size: u64) -> Result<Vec<u8>, StoreError>;
    fn has_object(&self, digest: &ContentDigest, size: u64) -> bool;
    /// Where a person can open the object (a path for a local store).
    fn locate_object(&self, digest: &ContentDigest) -> PathBuf;

    fn lookup(&self, key: &NodeKey) -> Result<Lookup, StoreError>;
    fn write_manifest(&self, manifest: &Manifest) -> Result<(), StoreError>;

    /// Reserves `key`; when another process holds it, calls `waiting` once and blocks until it is free.
    fn reserve(&self, key: &NodeKey, waiting: &dyn Fn()) -> Result<Box<dyn Reservation>, StoreError>;

    /// Small named documents: run records, last-seen key components of each node.
    fn write_doc(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError>;
    fn read_doc(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn list_docs(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}
