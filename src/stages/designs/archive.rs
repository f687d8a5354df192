//! The deliverables as one zip (the notebook's `trend_to_design_outputs.zip`) whose bytes depend
//! only on the files: sorted names, fixed timestamps and permissions, so the same deliverables
//! always give the same archive and the same digest.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::engine::StageError;

/// Zips `files` (path inside the archive → bytes); PNGs are stored as they are, the rest deflated.
pub fn zip_files(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, StageError> {
    let fail = |e: &dyn std::fmt::Display| StageError::new(format!("writing the deliverables archive: {e}"));
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        let method = if name.ends_with(".png") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(DateTime::DEFAULT)
            .unix_permissions(0o644);
        writer.start_file(name.as_str(), options).map_err(|e| fail(&e))?;
        writer.write_all(bytes).map_err(|e| fail(&e))?;
    }
    Ok(writer.finish().map_err(|e| fail(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn files() -> BTreeMap<String, Vec<u8>> {
        BTreeMap::from([
            ("logs/scores.csv".to_string(), b"cluster,version\n0,v1\n".repeat(20)),
            ("gens/c0_v1.png".to_string(), vec![137, 80, 78, 71, 1, 2, 3]),
        ])
    }

    #[test]
    fn same_files_give_the_same_bytes() {
        let a = zip_files(&files()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2100)); // past DOS time's 2 s resolution
        assert_eq!(a, zip_files(&files()).unwrap());
        let mut other = files();
        other.insert("prompts/final_prompts.json".into(), b"{}".to_vec());
        assert_ne!(a, zip_files(&other).unwrap());
    }

    #[test]
    fn the_archive_reads_back_with_fixed_metadata() {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip_files(&files()).unwrap())).unwrap();
        assert_eq!(archive.len(), 2);
        for (i, (name, bytes)) in files().iter().enumerate() {
            let mut file = archive.by_index(i).unwrap();
            assert_eq!(file.name().unwrap(), name.as_str());
            assert_eq!(file.last_modified(), Some(DateTime::DEFAULT));
            assert_eq!(file.unix_mode(), Some(0o100644));
            let mut read = Vec::new();
            file.read_to_end(&mut read).unwrap();
            assert_eq!(&read, bytes);
        }
    }
}
