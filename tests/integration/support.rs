//! A temporary project folder and helpers to run `t2d-testkit` in it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_t2d-testkit");

pub struct Project {
    pub dir: tempfile::TempDir,
}

/// a → b → c, a → c, a → d: numbers, scale, sum, swatches.
pub const DIAMOND: &str = "name: demo
nodes:
  a:
    kind: numbers
    params:
      count: 4
  b:
    kind: scale
    inputs:
      values: a
    params:
      factor: 3
  c:
    kind: sum
    inputs:
      left: a
      right: b.values
  d:
    kind: swatches
    inputs:
      values: a
";

impl Project {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) -> &Self {
        let path = self.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn log_path(&self) -> PathBuf {
        self.path().join("runs.log")
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.path())
            .env("T2D_TESTKIT_LOG", self.log_path())
            .env("NO_COLOR", "1")
            .env_remove("T2D_CACHE")
            .env_remove("T2D_LOG");
        cmd
    }

    /// Runs `t2d-testkit --json ARGS…`; returns the JSON lines and the exit code.
    pub fn json(&self, args: &[&str]) -> (Vec<Value>, i32) {
        let out = self.command().arg("--json").args(args).output().expect("run t2d-testkit");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines = stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect();
        (lines, out.status.code().unwrap_or(-1))
    }

    /// `exec --json` → node name → status; panics unless the exit code is `expected_code`.
    pub fn exec_expect(&self, pipeline: &str, extra: &[&str], expected_code: i32) -> BTreeMap<String, String> {
        let mut args = vec!["exec", pipeline];
        args.extend_from_slice(extra);
        let (lines, code) = self.json(&args);
        assert_eq!(code, expected_code, "exit code of exec {pipeline} {extra:?}: {lines:?}");
        statuses(&lines)
    }

    pub fn exec(&self, pipeline: &str, extra: &[&str]) -> BTreeMap<String, String> {
        self.exec_expect(pipeline, extra, 0)
    }

    /// Node names that ran since the last call, in order.
    pub fn take_runs(&self) -> Vec<String> {
        let text = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let _ = std::fs::remove_file(self.log_path());
        text.lines().map(str::to_string).collect()
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }
}

pub fn statuses(lines: &[Value]) -> BTreeMap<String, String> {
    lines
        .iter()
        .filter_map(|l| Some((l.get("node")?.as_str()?.to_string(), l.get("status")?.as_str()?.to_string())))
        .collect()
}

pub fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
