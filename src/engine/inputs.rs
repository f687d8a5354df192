//! A stage's inputs: upstream artifacts by slot, read from the store on demand.

use std::collections::BTreeMap;

use arrow::array::RecordBatch;

use super::artifact::{decode_table, ArtifactKind};
use super::digest::ContentDigest;
use super::stage::StageError;
use super::store::{ArtifactRef, MemberRef, Store};

pub struct Inputs<'a> {
    refs: BTreeMap<String, ArtifactRef>,
    store: &'a dyn Store,
}

impl<'a> Inputs<'a> {
    pub fn new(refs: BTreeMap<String, ArtifactRef>, store: &'a dyn Store) -> Self {
        Self { refs, store }
    }

    fn get(&self, slot: &str, kind: ArtifactKind) -> Result<&ArtifactRef, StageError> {
        let found =
            self.refs.get(slot).ok_or_else(|| StageError::new(format!("internal: input `{slot}` is not bound")))?;
        if found.kind != kind {
            return Err(StageError::new(format!(
                "input `{slot}` is a {:?} artifact, this stage needs a {kind:?}",
                found.kind
            ))
            .with_help("bind the slot to an output of the right kind (see `t2d show`)"));
        }
        Ok(found)
    }

    fn read(&self, digest: &ContentDigest, size: u64) -> Result<Vec<u8>, StageError> {
        self.store.read_object(digest, size).map_err(|e| StageError::new(e.to_string()))
    }

    pub fn digest(&self, slot: &str) -> Option<ContentDigest> {
        self.refs.get(slot).map(|r| r.digest)
    }

    pub fn table(&self, slot: &str) -> Result<RecordBatch, StageError> {
        let r = self.get(slot, ArtifactKind::Table)?;
        decode_table(self.read(&r.digest, r.size)?).map_err(|e| StageError::wrap(format!("reading input `{slot}`"), e))
    }

    pub fn json(&self, slot: &str) -> Result<serde_json::Value, StageError> {
        let r = self.get(slot, ArtifactKind::Json)?;
        serde_json::from_slice(&self.read(&r.digest, r.size)?)
            .map_err(|e| StageError::wrap(format!("reading input `{slot}`"), e))
    }

    /// The files of a bundle input, by name, without reading them.
    pub fn bundle_index(&self, slot: &str) -> Result<BTreeMap<String, MemberRef>, StageError> {
        Ok(self.get(slot, ArtifactKind::Bundle)?.members.clone().unwrap_or_default())
    }

    /// Reads one file of a bundle input.
    pub fn read_member(&self, member: &MemberRef) -> Result<Vec<u8>, StageError> {
        self.read(&member.digest, member.size)
    }

    /// The files of a bundle input, by name.
    pub fn bundle(&self, slot: &str) -> Result<BTreeMap<String, Vec<u8>>, StageError> {
        let r = self.get(slot, ArtifactKind::Bundle)?;
        r.members.iter().flatten().map(|(name, m)| Ok((name.clone(), self.read(&m.digest, m.size)?))).collect()
    }
}
