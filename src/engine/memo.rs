//! Per-item results that outlive a node's key: an embedding per image, a design per prompt.
//!
//! When a node reruns because its input grew from 4000 to 5000 images, it looks each item up
//! here and computes only the 1000 new ones. SQLite in WAL mode is used rather than a
//! single-writer embedded store because several `t2d` processes may share one cache.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

#[derive(Debug, thiserror::Error)]
#[error("item memo {path}: {source}")]
pub struct MemoError {
    path: String,
    #[source]
    source: rusqlite::Error,
}

pub struct Memo {
    path: String,
    conn: Mutex<Connection>,
}

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// A memo item key: blake3 of whatever identifies the item (content digest, model digest, settings).
pub type ItemKey = [u8; 32];

impl Memo {
    pub fn open(path: &Path) -> Result<Self, MemoError> {
        let display = path.display().to_string();
        let wrap = |source| MemoError { path: display.clone(), source };
        let conn = Connection::open(path).map_err(wrap)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        enable_wal(&conn).map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(wrap)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS memo (
                ns TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                PRIMARY KEY (ns, key)) WITHOUT ROWID;",
        )
        .map_err(wrap)?;
        Ok(Self { path: display, conn: Mutex::new(conn) })
    }

    fn wrap(&self, source: rusqlite::Error) -> MemoError {
        MemoError { path: self.path.clone(), source }
    }

    pub fn get_many(&self, ns: &str, keys: &[ItemKey]) -> Result<Vec<Option<Vec<u8>>>, MemoError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let mut stmt =
            conn.prepare_cached("SELECT value FROM memo WHERE ns = ?1 AND key = ?2").map_err(|e| self.wrap(e))?;
        keys.iter()
            .map(|k| {
                stmt.query_row(params![ns, &k[..]], |row| row.get::<_, Vec<u8>>(0)).optional().map_err(|e| self.wrap(e))
            })
            .collect()
    }

    /// Stores items in one transaction: all of them or none.
    pub fn put_many(&self, ns: &str, items: &[(ItemKey, Vec<u8>)]) -> Result<(), MemoError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        // Immediate: take the write lock up front (waiting for it), rather than upgrading a
        // read snapshot that another writer may have made stale, which fails at once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| self.wrap(e))?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT OR REPLACE INTO memo (ns, key, value) VALUES (?1, ?2, ?3)")
                .map_err(|e| self.wrap(e))?;
            for (key, value) in items {
                stmt.execute(params![ns, &key[..], value]).map_err(|e| self.wrap(e))?;
            }
        }
        tx.commit().map_err(|e| self.wrap(e))
    }

    /// Number of items per namespace (for `t2d show` and tests).
    pub fn count(&self, ns: &str) -> Result<u64, MemoError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.query_row("SELECT COUNT(*) FROM memo WHERE ns = ?1", params![ns], |r| r.get(0)).map_err(|e| self.wrap(e))
    }
}

/// WAL lets readers and a writer from different processes overlap. The switch is stored in
/// the file, but making it needs a moment alone with the database, and SQLite answers "busy"
/// at once rather than through the busy timeout when another process has it open: retry.
fn enable_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_finds_items_per_namespace() {
        let dir = tempfile::tempdir().unwrap();
        let memo = Memo::open(&dir.path().join("memo.sqlite")).unwrap();
        let k1 = *blake3::hash(b"1").as_bytes();
        let k2 = *blake3::hash(b"2").as_bytes();
        memo.put_many("embed/v1", &[(k1, vec![1, 2, 3])]).unwrap();
        assert_eq!(memo.get_many("embed/v1", &[k1, k2]).unwrap(), vec![Some(vec![1, 2, 3]), None]);
        assert_eq!(memo.get_many("other", &[k1]).unwrap(), vec![None]);
        assert_eq!(memo.count("embed/v1").unwrap(), 1);
    }

    /// Execs starting at once open one fresh memo together; switching it to WAL used to fail
    /// with "database is locked" for some of them.
    #[test]
    fn many_openers_and_writers_at_once() {
        for round in 0..30 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("memo.sqlite");
            std::thread::scope(|scope| {
                for t in 0..6u8 {
                    let path = &path;
                    scope.spawn(move || {
                        let memo = Memo::open(path).unwrap_or_else(|e| panic!("round {round} open: {e:?}"));
                        let k = *blake3::hash(&[t]).as_bytes();
                        memo.get_many("ns", &[k]).unwrap_or_else(|e| panic!("round {round} get: {e:?}"));
                        memo.put_many("ns", &[(k, vec![t])]).unwrap_or_else(|e| panic!("round {round} put: {e:?}"));
                    });
                }
            });
        }
    }
}
