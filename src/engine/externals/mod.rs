//! Fingerprints of files and folders outside the cache (datasets, model folders).
//!
//! A fingerprint is a digest of *contents*, never of paths or timestamps, so keys are the
//! same on every machine. A stat cache keeps a no-op run from rehashing gigabytes.

mod fingerprint;
mod listing;
mod stat_cache;
mod stat_table;

pub use fingerprint::{fingerprint, FileDigests, Fingerprint, FingerprintError};
pub use stat_cache::StatCache;
