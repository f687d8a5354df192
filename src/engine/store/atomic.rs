//! Atomic file writes: temp file in the same folder, fsync, rename, fsync the folder.
//!
//! A reader (or a crash) sees either the old file or the complete new one, never a part.
//! Folders are replaced the same way, by swapping a complete new folder in with one rename.
//! Bookkeeping documents (run records, history) skip the fsyncs: the rename alone keeps them
//! whole when the process is killed, and losing one to a power cut costs only a "why" reason.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, true)
}

/// Atomic against a killed process, not against a power cut.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, bytes, false)
}

fn write(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    if durable {
        sync_dir(dir)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    match fs::File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

/// Puts the finished folder `staged` at `dir`, replacing what is there, and removes the old
/// contents. Where the kernel can exchange two paths in one step, a reader of `dir` (or
/// another process replacing it at the same moment) always finds one complete folder;
/// elsewhere there is a moment with no folder. The last of several concurrent replacers wins.
pub fn replace_dir(staged: &Path, dir: &Path) -> io::Result<()> {
    replace_dir_with(staged, dir, exchange)
}

fn replace_dir_with(staged: &Path, dir: &Path, exchange: fn(&Path, &Path) -> io::Result<()>) -> io::Result<()> {
    // Each failed attempt means another process changed `dir` in between; it cannot keep
    // that up for long, so a bound only turns a kernel oddity into an error, not a hang.
    for _ in 0..64 {
        if fs::symlink_metadata(dir).is_ok() {
            match exchange(staged, dir) {
                Ok(()) => return remove_any(staged),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) if e.kind() == io::ErrorKind::Unsupported => match move_aside_and_replace(staged, dir) {
                    Err(e) if is_lost_race(&e) => continue,
                    placed => return placed,
                },
                Err(e) => return Err(e),
            }
        }
        match fs::rename(staged, dir) {
            Ok(()) => return Ok(()),
            Err(e) if is_lost_race(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!("{} kept changing while it was being replaced", dir.display())))
}

/// Another process put a non-empty folder at the target between our check and our rename.
fn is_lost_race(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::DirectoryNotEmpty | io::ErrorKind::AlreadyExists)
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Filesystems without exchange (some network and FUSE ones) answer EINVAL.
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            Err(io::Error::from(io::ErrorKind::Unsupported))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn move_aside_and_replace(staged: &Path, dir: &Path) -> io::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = tempfile::Builder::new().prefix(&format!(".{name}.old-")).tempdir_in(parent)?.keep();
    fs::remove_dir(&old)?;
    match fs::rename(dir, &old) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let placed = fs::rename(staged, dir);
    let _ = remove_any(&old);
    placed
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged_with(parent: &Path, marker: &str) -> std::path::PathBuf {
        let staged = tempfile::Builder::new().prefix(".staged-").tempdir_in(parent).unwrap().keep();
        fs::create_dir(staged.join("sub")).unwrap();
        for file in ["a.txt", "sub/b.txt"] {
            fs::write(staged.join(file), marker).unwrap();
        }
        staged
    }

    fn leftovers(parent: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out")
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replace_dir_creates_then_replaces_and_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        replace_dir(&staged_with(tmp.path(), "one"), &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("sub/b.txt")).unwrap(), "one");
        fs::write(dir.join("stale.txt"), "old").unwrap();
        replace_dir(&staged_with(tmp.path(), "two"), &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "two");
        assert!(!dir.join("stale.txt").exists(), "old contents are gone, not merged");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn replace_dir_replaces_a_file_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        fs::write(&dir, "not a folder").unwrap();
        replace_dir(&staged_with(tmp.path(), "one"), &dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "one");
        assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
    }

    /// What two `t2d exec` publishing one pipeline at once do. Moving the old folder aside
    /// and renaming without retrying (the first version) fails here with "Directory not empty".
    #[test]
    fn concurrent_replacers_all_succeed_and_leave_one_whole_folder() {
        concurrent_replacers(exchange);
    }

    #[test]
    fn concurrent_replacers_succeed_where_the_filesystem_cannot_exchange() {
        concurrent_replacers(|_, _| Err(io::Error::from(io::ErrorKind::Unsupported)));
    }

    fn concurrent_replacers(exchange: fn(&Path, &Path) -> io::Result<()>) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        for round in 0..20 {
            let staged: Vec<_> = (0..8).map(|i| staged_with(tmp.path(), &format!("{round}-{i}"))).collect();
            std::thread::scope(|scope| {
                for s in &staged {
                    let dir = &dir;
                    scope.spawn(move || replace_dir_with(s, dir, exchange).unwrap());
                }
            });
            let a = fs::read_to_string(dir.join("a.txt")).unwrap();
            assert_eq!(fs::read_to_string(dir.join("sub/b.txt")).unwrap(), a, "files from one replacer only");
            assert!(a.starts_with(&format!("{round}-")));
            assert_eq!(leftovers(tmp.path()), Vec::<String>::new());
        }
    }
}
