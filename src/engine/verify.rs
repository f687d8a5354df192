//! `t2d verify`: rehashes every object, drops damaged ones and the entries that need them.

use rayon::prelude::*;

use super::digest::ContentDigest;
use super::store::{LocalStore, Lookup, Store, StoreError};

#[derive(Debug, Default, PartialEq)]
pub struct VerifyReport {
    pub objects_checked: usize,
    pub damaged: Vec<String>,
    pub entries_dropped: usize,
}

pub fn verify(store: &LocalStore) -> Result<VerifyReport, StoreError> {
    let objects = store.objects()?;
    let damaged: Vec<ContentDigest> = objects
        .par_iter()
        .filter(|(digest, size)| match store.read_object(digest, *size) {
            Ok(bytes) => ContentDigest::of(&bytes) != *digest,
            Err(_) => true,
        })
        .map(|(d, _)| *d)
        .collect();
    for digest in &damaged {
        store.remove_object(digest)?;
    }
    let mut entries_dropped = 0;
    for key in store.manifest_keys()? {
        if !matches!(store.lookup(&key)?, Lookup::Hit(_)) {
            store.remove_manifest(&key)?;
            entries_dropped += 1;
        }
    }
    Ok(VerifyReport {
        objects_checked: objects.len(),
        damaged: damaged.iter().map(|d| store.locate_object(d).display().to_string()).collect(),
        entries_dropped,
    })
}
