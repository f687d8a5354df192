//! Typed blake3 digests: a node key can never be passed where a content digest is expected.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub trait DigestKind: 'static {
    const NAME: &'static str;
}

/// Digest of stored bytes (an object in the store, an external file).
#[derive(Debug)]
pub enum ContentKind {}
impl DigestKind for ContentKind {
    const NAME: &'static str = "content";
}

/// Digest of a node's key components: the name of a cache entry.
#[derive(Debug)]
pub enum KeyKind {}
impl DigestKind for KeyKind {
    const NAME: &'static str = "key";
}

pub struct Digest<K: DigestKind> {
    bytes: [u8; 32],
    kind: PhantomData<K>,
}

pub type ContentDigest = Digest<ContentKind>;
pub type NodeKey = Digest<KeyKind>;

impl<K: DigestKind> Digest<K> {
    pub fn of(bytes: &[u8]) -> Self {
        Self::from_hash(blake3::hash(bytes))
    }

    pub fn from_hash(hash: blake3::Hash) -> Self {
        Self { bytes: *hash.as_bytes(), kind: PhantomData }
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    pub fn hex(&self) -> String {
        blake3::Hash::from_bytes(self.bytes).to_hex().to_string()
    }

    /// The first 12 hex digits: enough for people, not for lookups.
    pub fn short(&self) -> String {
        self.hex()[..12].to_string()
    }
}

impl<K: DigestKind> Clone for Digest<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: DigestKind> Copy for Digest<K> {}
impl<K: DigestKind> PartialEq for Digest<K> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<K: DigestKind> Eq for Digest<K> {}
impl<K: DigestKind> Hash for Digest<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.bytes.hash(state)
    }
}
impl<K: DigestKind> PartialOrd for Digest<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K: DigestKind> Ord for Digest<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(&other.bytes)
    }
}

impl<K: DigestKind> fmt::Display for Digest<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}
impl<K: DigestKind> fmt::Debug for Digest<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", K::NAME, self.short())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a 64-digit hex digest")]
pub struct BadDigest(String);

impl<K: DigestKind> FromStr for Digest<K> {
    type Err = BadDigest;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        blake3::Hash::from_hex(s).map(Self::from_hash).map_err(|_| BadDigest(s.to_string()))
    }
}

impl<K: DigestKind> Serialize for Digest<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}
impl<'de, K: DigestKind> Deserialize<'de> for Digest<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_hex() {
        let d = ContentDigest::of(b"hello");
        let back: ContentDigest = d.hex().parse().unwrap();
        assert_eq!(d, back);
        assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{}\"", d.hex()));
    }
}
