//! One root's stat cache as stored: records sorted by path, read with one `read` and used in
//! place (no decoding into a map, no allocation per file), with a checksum so a damaged file
//! reads as empty instead of as wrong digests.
//!
//! Layout, little-endian: `MAGIC`, record count (u64), blake3 of everything after the checksum,
//! then the records (`RECORD` bytes each: path offset u32, path length u32, size u64,
//! mtime in ns i128, inode u64, digest [u8; 32]), then the paths, back to back.

use super::stat_cache::FileStat;

const MAGIC: &[u8; 8] = b"t2dstat2";
const HEADER: usize = 8 + 8 + 32;
const RECORD: usize = 4 + 4 + 8 + 16 + 8 + 32;

pub type Digest = [u8; 32];

#[derive(Default)]
pub struct StatTable {
    bytes: Vec<u8>,
    len: usize,
}

impl StatTable {
    /// The table in `bytes`, or `None` if they are not a whole, intact, sorted table.
    pub fn decode(bytes: Vec<u8>) -> Option<Self> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return None;
        }
        let len = usize::try_from(u64::from_le_bytes(bytes[8..16].try_into().ok()?)).ok()?;
        if blake3::hash(&bytes[HEADER..]).as_bytes() != &bytes[16..HEADER] {
            return None;
        }
        let paths_at = HEADER.checked_add(len.checked_mul(RECORD)?)?;
        if paths_at > bytes.len() {
            return None;
        }
        let table = Self { bytes, len };
        let mut previous: Option<&[u8]> = None;
        for i in 0..len {
            let (at, n) = table.span(i);
            let path = table.bytes.get(paths_at.checked_add(at)?..paths_at.checked_add(at)?.checked_add(n)?)?;
            if previous.is_some_and(|p| p >= path) {
                return None;
            }
            previous = Some(path);
        }
        Some(table)
    }

    /// Encodes records given in strictly increasing path order.
    pub fn encode<'a>(records: impl ExactSizeIterator<Item = (&'a [u8], FileStat, Digest)>) -> Vec<u8> {
        let len = records.len();
        let mut out = Vec::with_capacity(HEADER + len * (RECORD + 24));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(len as u64).to_le_bytes());
        out.extend_from_slice(&[0; 32]);
        let mut paths = Vec::new();
        for (path, stat, digest) in records {
            out.extend_from_slice(&(paths.len() as u32).to_le_bytes());
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(&stat.size.to_le_bytes());
            out.extend_from_slice(&stat.mtime_ns.to_le_bytes());
            out.extend_from_slice(&stat.inode.to_le_bytes());
            out.extend_from_slice(&digest);
            paths.extend_from_slice(path);
        }
        out.extend_from_slice(&paths);
        let checksum = blake3::hash(&out[HEADER..]);
        out[16..HEADER].copy_from_slice(checksum.as_bytes());
        out
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn record(&self, i: usize) -> &[u8] {
        &self.bytes[HEADER + i * RECORD..HEADER + (i + 1) * RECORD]
    }

    fn span(&self, i: usize) -> (usize, usize) {
        let r = self.record(i);
        (u32_at(r, 0) as usize, u32_at(r, 4) as usize)
    }

    pub fn path(&self, i: usize) -> &[u8] {
        let (at, n) = self.span(i);
        let paths_at = HEADER + self.len * RECORD;
        &self.bytes[paths_at + at..paths_at + at + n]
    }

    pub fn entry(&self, i: usize) -> (FileStat, Digest) {
        let r = self.record(i);
        let stat = FileStat {
            size: u64::from_le_bytes(r[8..16].try_into().expect("8 bytes")),
            mtime_ns: i128::from_le_bytes(r[16..32].try_into().expect("16 bytes")),
            inode: u64::from_le_bytes(r[32..40].try_into().expect("8 bytes")),
        };
        (stat, r[40..72].try_into().expect("32 bytes"))
    }

    /// The index of `path`, or where it would go.
    pub fn find(&self, path: &[u8]) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.path(mid).cmp(path) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(n: u64) -> FileStat {
        FileStat { size: n, mtime_ns: -(n as i128) * 1_000_000_007, inode: n * 3 }
    }

    fn sample() -> Vec<u8> {
        let records =
            [(&b"a.jpg"[..], stat(1), [1; 32]), (b"images/10.jpg", stat(2), [2; 32]), (b"z", stat(3), [3; 32])];
        StatTable::encode(records.into_iter())
    }

    #[test]
    fn round_trips_and_finds_by_path() {
        let table = StatTable::decode(sample()).unwrap();
        assert_eq!(table.len(), 3);
        assert_eq!(table.find(b"images/10.jpg"), Ok(1));
        assert_eq!(table.path(1), b"images/10.jpg");
        assert_eq!(table.entry(1), (stat(2), [2; 32]));
        assert_eq!(table.find(b"b"), Err(1));
        assert_eq!(table.find(b"zz"), Err(3));
    }

    #[test]
    fn damaged_truncated_or_foreign_bytes_read_as_nothing() {
        let good = sample();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let truncated = good[..good.len() - 1].to_vec();
        for bad in [flipped, truncated, b"t2dstat1 old format".to_vec(), Vec::new()] {
            assert!(StatTable::decode(bad).is_none());
        }
    }

    #[test]
    fn unsorted_records_are_refused() {
        let records = [(&b"b"[..], stat(1), [1; 32]), (b"a", stat(2), [2; 32])];
        assert!(StatTable::decode(StatTable::encode(records.into_iter())).is_none());
    }
}
