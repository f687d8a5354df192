//! Every file below a folder with its `stat`, read as fast as the kernel allows.
//!
//! A no-op run checks every file of a 44,000-image dataset, so this is the engine's hot loop.
//! Names go into shared buffers (no allocation per file); each batch of names is stat'ed on
//! another core while the next batch is read; each `stat` resolves one name in an already open
//! folder, in the folder's own order (which the kernel looks up fastest: 40 vs 48 ms for 44,000
//! names in path order).

use std::ffi::CStr;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustix::fs::{openat, statat, AtFlags, Dir, FileType, Mode, OFlags, CWD};

use super::stat_cache::FileStat;

/// Names per batch handed to another core for `stat`.
const BATCH: usize = 2048;
/// Folders kept open at once for the `stat` of their batches; beyond this, a batch is stat'ed by
/// full path, so a tree of many thousand folders cannot run out of file descriptors.
const OPEN_FOLDERS: usize = 256;

type Failure = (PathBuf, io::Error);

/// The files below a root (hidden names skipped), by path relative to it, with their stat.
pub struct Listing {
    root: PathBuf,
    batches: Vec<Batch>,
}

/// A file of a [`Listing`]: its batch and its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    batch: u32,
    file: u32,
}

/// Files of one folder: their relative paths, each followed by a NUL so its last component is
/// a C string, and their stats once taken.
struct Batch {
    folder: Option<HeldFolder>,
    paths: Vec<u8>,
    files: Vec<Span>,
    stats: Vec<FileStat>,
}

/// A batch's share of its open folder, counted while held so that at most `OPEN_FOLDERS` are.
struct HeldFolder {
    fd: Arc<OwnedFd>,
    held: Arc<AtomicUsize>,
}

impl Drop for HeldFolder {
    fn drop(&mut self) {
        self.held.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Clone, Copy)]
struct Span {
    start: u32,
    name: u32,
    end: u32,
}

impl Listing {
    /// Lists every file below the folder `root`, recursively, and stats each one (following a
    /// symbolic link, which counts as a file).
    pub fn of(root: &Path) -> Result<Self, Failure> {
        let fd = open_folder(CWD, root).map_err(|e| (root.to_path_buf(), e))?;
        let done = Mutex::new(Vec::new());
        let held = Arc::new(AtomicUsize::new(0));
        let walked = rayon::scope(|scope| {
            let mut walker = Walker { root, scope, done: &done, held: held.clone(), sequence: 0 };
            walker.walk(fd, &[])
        });
        let mut batches: Vec<(usize, Result<Batch, Failure>)> = done.into_inner().unwrap_or_else(|p| p.into_inner());
        walked?;
        debug_assert_eq!(held.load(Ordering::Relaxed), 0, "every batch let go of its folder");
        batches.sort_unstable_by_key(|(sequence, _)| *sequence);
        let batches = batches.into_iter().map(|(_, b)| b).collect::<Result<_, _>>()?;
        Ok(Listing { root: root.to_path_buf(), batches })
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.batches.iter().map(|b| b.files.len()).sum()
    }

    /// Every file, in byte order of the relative paths.
    pub fn sorted(&self) -> Vec<FileId> {
        // Sorting on the paths' first 16 bytes as a number, and only on a tie on the paths
        // themselves, keeps the sort in cache: "images/12345.jpg" fits whole.
        let mut keyed: Vec<(u128, FileId)> = (self.batches.iter().enumerate())
            .flat_map(|(b, batch)| (0..batch.files.len()).map(move |f| FileId { batch: b as u32, file: f as u32 }))
            .map(|id| {
                let mut head = [0; 16];
                let rel = self.rel(id);
                let n = rel.len().min(16);
                head[..n].copy_from_slice(&rel[..n]);
                (u128::from_be_bytes(head), id)
            })
            .collect();
        keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| self.rel(a.1).cmp(self.rel(b.1))));
        keyed.into_iter().map(|(_, id)| id).collect()
    }

    /// The file's path relative to the root.
    pub fn rel(&self, id: FileId) -> &[u8] {
        let batch = &self.batches[id.batch as usize];
        let span = batch.files[id.file as usize];
        &batch.paths[span.start as usize..span.end as usize]
    }

    pub fn stat(&self, id: FileId) -> FileStat {
        self.batches[id.batch as usize].stats[id.file as usize]
    }

    pub fn full_path(&self, id: FileId) -> PathBuf {
        self.root.join(path_of(self.rel(id)))
    }
}

struct Walker<'a, 's> {
    root: &'a Path,
    scope: &'a rayon::Scope<'s>,
    done: &'s Mutex<Vec<(usize, Result<Batch, Failure>)>>,
    held: Arc<AtomicUsize>,
    sequence: usize,
}

impl<'s> Walker<'_, 's> {
    fn walk(&mut self, fd: OwnedFd, prefix: &[u8]) -> Result<(), Failure> {
        let here = self.root.join(path_of(prefix));
        let fail = |e: rustix::io::Errno| (here.clone(), io::Error::from(e));
        // Shared with the batches being stat'ed; closed when the last of them is done.
        let fd = Arc::new(fd);
        let mut dir = Dir::read_from(&*fd).map_err(fail)?;
        let mut batch = self.batch(&fd);
        let mut subfolders = Vec::new();
        for entry in &mut dir {
            let entry = entry.map_err(fail)?;
            let name = entry.file_name();
            if name.to_bytes().starts_with(b".") {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => {
                    FileType::from_raw_mode(statat(&*fd, name, AtFlags::SYMLINK_NOFOLLOW).map_err(fail)?.st_mode)
                }
                kind => kind,
            };
            if kind == FileType::Directory {
                subfolders.push(name.to_owned());
                continue;
            }
            batch.push(prefix, name.to_bytes());
            if batch.files.len() == BATCH {
                let full = std::mem::replace(&mut batch, self.batch(&fd));
                self.stat_elsewhere(full);
            }
        }
        drop(dir);
        if !batch.files.is_empty() {
            self.stat_elsewhere(batch);
        }
        for sub in subfolders {
            let mut rel = Vec::new();
            push_rel(&mut rel, prefix, sub.to_bytes());
            let sub_fd = open_folder(&*fd, &sub).map_err(|e| (self.root.join(path_of(&rel)), e))?;
            self.walk(sub_fd, &rel)?;
        }
        Ok(())
    }

    /// An empty batch of the folder `fd`, holding it open unless too many folders already are.
    fn batch(&self, fd: &Arc<OwnedFd>) -> Batch {
        // Counted first, so the count is given back by the hold's drop whether or not it is kept.
        let hold = HeldFolder { fd: fd.clone(), held: self.held.clone() };
        let kept = self.held.fetch_add(1, Ordering::Relaxed) < OPEN_FOLDERS;
        Batch { folder: kept.then_some(hold), paths: Vec::new(), files: Vec::new(), stats: Vec::new() }
    }

    fn stat_elsewhere(&mut self, mut batch: Batch) {
        let (sequence, root, done) = (self.sequence, self.root.to_path_buf(), self.done);
        self.sequence += 1;
        self.scope.spawn(move |_| {
            let result = batch.stat_all(&root);
            batch.folder = None;
            done.lock().unwrap_or_else(|p| p.into_inner()).push((sequence, result.map(|()| batch)));
        });
    }
}

impl Batch {
    fn push(&mut self, prefix: &[u8], name: &[u8]) {
        let start = self.paths.len() as u32;
        push_rel(&mut self.paths, prefix, name);
        let end = self.paths.len() as u32;
        let name_at = end - name.len() as u32;
        self.paths.push(0);
        self.files.push(Span { start, name: name_at, end });
    }

    fn stat_all(&mut self, root: &Path) -> Result<(), Failure> {
        self.stats.reserve_exact(self.files.len());
        for span in &self.files {
            let rel = &self.paths[span.start as usize..span.end as usize];
            let fail = |e: io::Error| (root.join(path_of(rel)), e);
            let stat = match &self.folder {
                Some(held) => {
                    let name = CStr::from_bytes_with_nul(&self.paths[span.name as usize..=span.end as usize])
                        .map_err(|e| fail(io::Error::other(e)))?;
                    statat(&*held.fd, name, AtFlags::empty())
                }
                None => statat(CWD, root.join(path_of(rel)).as_path(), AtFlags::empty()),
            }
            .map_err(|e| fail(e.into()))?;
            let (seconds, nanos) = (stat.st_mtime as i64, stat.st_mtime_nsec as i64);
            self.stats.push(FileStat::new(stat.st_size as u64, seconds, nanos, stat.st_ino));
        }
        Ok(())
    }
}

fn open_folder(at: impl std::os::fd::AsFd, path: impl rustix::path::Arg) -> io::Result<OwnedFd> {
    Ok(openat(at, path, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?)
}

/// Appends `prefix/name` (just `name` at the root) to `out`.
fn push_rel(out: &mut Vec<u8>, prefix: &[u8], name: &[u8]) {
    out.extend_from_slice(prefix);
    if !prefix.is_empty() {
        out.push(b'/');
    }
    out.extend_from_slice(name);
}

fn path_of(rel: &[u8]) -> &Path {
    Path::new(std::ffi::OsStr::from_bytes(rel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn lists_nested_files_in_path_order_skipping_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("b/c")).unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        for f in ["z.csv", "b/2.jpg", "b/10.jpg", "b/c/x.png", ".hidden", ".git/HEAD"] {
            fs::write(dir.path().join(f), f).unwrap();
        }
        let listing = Listing::of(dir.path()).unwrap();
        let order = listing.sorted();
        let rels: Vec<&[u8]> = order.iter().map(|&i| listing.rel(i)).collect();
        assert_eq!(rels, [&b"b/10.jpg"[..], b"b/2.jpg", b"b/c/x.png", b"z.csv"]);
        let meta = fs::metadata(dir.path().join("b/c/x.png")).unwrap();
        assert_eq!(listing.stat(order[2]), FileStat::of(&meta));
        assert_eq!(listing.full_path(order[3]), dir.path().join("z.csv"));
    }

    #[test]
    fn batches_of_a_large_folder_all_come_back_stat_ed() {
        let dir = tempfile::tempdir().unwrap();
        let n = BATCH * 2 + 7;
        for i in 0..n {
            fs::write(dir.path().join(format!("{i}.jpg")), vec![b'x'; i % 13]).unwrap();
        }
        let listing = Listing::of(dir.path()).unwrap();
        assert_eq!(listing.len(), n);
        for id in listing.sorted() {
            let i: usize = std::str::from_utf8(listing.rel(id)).unwrap().trim_end_matches(".jpg").parse().unwrap();
            assert_eq!(listing.stat(id).size, (i % 13) as u64);
        }
    }

    #[test]
    fn a_tree_of_more_folders_than_are_kept_open_is_listed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let folders = OPEN_FOLDERS + 44;
        for i in 0..folders {
            let sub = dir.path().join(format!("f{i}"));
            fs::create_dir(&sub).unwrap();
            fs::write(sub.join("a.jpg"), vec![0; i]).unwrap();
        }
        let listing = Listing::of(dir.path()).unwrap();
        assert_eq!(listing.len(), folders);
        for id in listing.sorted() {
            let rel = std::str::from_utf8(listing.rel(id)).unwrap();
            let i: usize = rel.trim_start_matches('f').trim_end_matches("/a.jpg").parse().unwrap();
            assert_eq!(listing.stat(id).size, i as u64, "{rel}");
        }
    }

    #[test]
    fn a_symbolic_link_is_a_file_stat_ed_through_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.jpg");
        fs::write(&target, "12345").unwrap();
        fs::create_dir(dir.path().join("images")).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("images/linked.jpg")).unwrap();
        let listing = Listing::of(&dir.path().join("images")).unwrap();
        assert_eq!(listing.len(), 1);
        assert_eq!(listing.stat(listing.sorted()[0]).size, 5);
    }

    #[test]
    fn a_missing_root_or_a_dangling_link_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let Err((path, e)) = Listing::of(&missing) else { panic!("listed a missing folder") };
        assert_eq!((path, e.kind()), (missing.clone(), io::ErrorKind::NotFound));
        fs::create_dir(dir.path().join("d")).unwrap();
        std::os::unix::fs::symlink(&missing, dir.path().join("d/dangling.jpg")).unwrap();
        let Err((path, e)) = Listing::of(&dir.path().join("d")) else { panic!("stat'ed a dangling link") };
        assert_eq!((path, e.kind()), (dir.path().join("d/dangling.jpg"), io::ErrorKind::NotFound));
    }
}
