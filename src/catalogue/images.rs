//! Finding each product's photo. The notebook looks for `images/{id}.jpg`
//! and, failing that, globs `images/**/{id}.jpg` once per row; here the
//! folder is walked once into an id → path index with the same precedence.
//!
//! Precedence, made deterministic where glob's order is not:
//! 1. `images/{id}.jpg` at the top level;
//! 2. otherwise the shallowest nested match, ties broken by path order.
//!
//! Like glob's `**`, hidden folders (name starting with `.`) are not entered.
//! Symbolic links to files count; links to folders are not followed, so a
//! link cycle cannot trap the walk. Only files named exactly `{id}.jpg`,
//! with the id written as pandas would print it (`15190`, not `015190`), match.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::CatalogueError;

/// Every `{id}.jpg` under an images folder, resolved to one path per id.
#[derive(Debug, Clone, Default)]
pub struct ImageIndex {
    paths: HashMap<i64, Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    depth: usize,
    path: PathBuf,
}

impl ImageIndex {
    /// Walks `root` once. Fails if `root` is missing or a folder cannot be listed.
    pub fn build(root: &Path) -> Result<Self, CatalogueError> {
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(CatalogueError::ImagesNotFound { path: root.to_owned() }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(CatalogueError::ImagesNotFound { path: root.to_owned() })
            }
            Err(source) => return Err(CatalogueError::Io { path: root.to_owned(), source }),
        }
        let mut index = ImageIndex::default();
        let mut pending = vec![(root.to_owned(), 0usize)];
        while let Some((dir, depth)) = pending.pop() {
            let io_err = |source| CatalogueError::Io { path: dir.clone(), source };
            for entry in fs::read_dir(&dir).map_err(io_err)? {
                let entry = entry.map_err(io_err)?;
                let path = entry.path();
                let kind = entry.file_type().map_err(io_err)?;
                let name = entry.file_name();
                let Some(name) = name.to_str() else { continue };
                if kind.is_dir() {
                    if !name.starts_with('.') {
                        pending.push((path, depth + 1));
                    }
                    continue;
                }
                let Some(id) = image_id(name) else { continue };
                if kind.is_symlink() && !fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                    continue;
                }
                index.offer(id, Candidate { depth, path });
            }
        }
        Ok(index)
    }

    fn offer(&mut self, id: i64, candidate: Candidate) {
        match self.paths.get_mut(&id) {
            Some(best) if *best <= candidate => {}
            Some(best) => *best = candidate,
            None => {
                self.paths.insert(id, candidate);
            }
        }
    }

    /// The photo of product `id`, if there is one.
    pub fn find(&self, id: i64) -> Option<&Path> {
        self.paths.get(&id).map(|c| c.path.as_path())
    }

    /// How many ids have a photo.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// The id in a file name `{id}.jpg`, if the name is exactly that.
fn image_id(name: &str) -> Option<i64> {
    let stem = name.strip_suffix(".jpg")?;
    let id: i64 = stem.parse().ok()?;
    (id.to_string() == stem).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, b"x").unwrap();
    }

    #[test]
    fn names_must_be_canonical_ids() {
        assert_eq!(image_id("15190.jpg"), Some(15190));
        assert_eq!(image_id("015190.jpg"), None);
        assert_eq!(image_id("15190.JPG"), None);
        assert_eq!(image_id("15190.jpeg"), None);
        assert_eq!(image_id("+5.jpg"), None);
        assert_eq!(image_id("a.jpg"), None);
    }

    #[test]
    fn top_level_wins_then_shallowest_then_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("1.jpg"));
        touch(&root.join("a/1.jpg"));
        touch(&root.join("b/c/2.jpg"));
        touch(&root.join("z/2.jpg"));
        touch(&root.join("b/3.jpg"));
        touch(&root.join("a/3.jpg"));
        touch(&root.join(".hidden/4.jpg"));
        touch(&root.join("notes.txt"));
        let index = ImageIndex::build(root).unwrap();
        assert_eq!(index.find(1), Some(root.join("1.jpg").as_path()));
        assert_eq!(index.find(2), Some(root.join("z/2.jpg").as_path()));
        assert_eq!(index.find(3), Some(root.join("a/3.jpg").as_path()));
        assert_eq!(index.find(4), None);
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn missing_root_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = ImageIndex::build(&dir.path().join("images")).unwrap_err();
        assert!(matches!(err, CatalogueError::ImagesNotFound { .. }), "{err}");
        assert!(err.to_string().contains("images/{id}.jpg"), "{err}");
    }
}
