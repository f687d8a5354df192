//! Prints node results as they happen: one line per node for people, one JSON object per
//! line for scripts (format documented in the README and kept stable).

use std::io::Write;
use std::sync::Mutex;

use serde_json::json;

use crate::engine::scheduler::{NodeReport, Observer, Status};

pub struct Reporter {
    pub json: bool,
    width: usize,
    out: Mutex<std::io::Stdout>,
    bars: Option<indicatif::MultiProgress>,
}

impl Reporter {
    pub fn new(json: bool, node_names: &[&str], bars: Option<indicatif::MultiProgress>) -> Self {
        let width = node_names.iter().map(|n| n.len()).max().unwrap_or(0);
        Self { json, width, out: Mutex::new(std::io::stdout()), bars }
    }

    pub fn bars(&self) -> Option<&indicatif::MultiProgress> {
        self.bars.as_ref()
    }

    fn emit(&self, line: &str) {
        match &self.bars {
            Some(bars) => {
                let _ = bars.println(line);
            }
            None => {
                let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
                let _ = writeln!(out, "{line}");
                let _ = out.flush();
            }
        }
    }

    pub fn line(&self, report: &NodeReport) -> String {
        if self.json {
            let mut value = json!({
                "node": report.node,
                "kind": report.kind,
                "status": report.status.as_str(),
                "reasons": report.reasons.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
                "duration_ms": report.duration_ms,
                "key": report.key.map(|k| k.hex()),
            });
            if let Some((message, help)) = &report.error {
                value["error"] = json!({"message": message, "help": help});
            }
            if !report.log.is_empty() {
                value["log"] = json!(report.log);
            }
            return value.to_string();
        }
        let status = format!("{:<9}", report.status.as_str());
        let mut line = format!("  {status} {:<w$}", report.node, w = self.width);
        match report.status {
            Status::Ran => line.push_str(&format!("  {}", seconds(report.duration_ms))),
            Status::Cached => {}
            _ => {}
        }
        if !report.reasons.is_empty() && report.status != Status::Cached {
            let reasons: Vec<String> = report.reasons.iter().map(|r| r.to_string()).collect();
            line.push_str(&format!("  ({})", reasons.join("; ")));
        }
        if let Some((message, help)) = &report.error {
            line.push_str(&format!("\n      error: {message}"));
            if let Some(help) = help {
                line.push_str(&format!("\n      help: {help}"));
            }
        }
        if report.status == Status::Blocked {
            line.push_str("  (an upstream node failed)");
        }
        for warning in &report.log {
            line.push_str(&format!("\n      {warning}"));
        }
        line.trim_end().to_string()
    }

    pub fn print(&self, line: &str) {
        self.emit(line);
    }
}

pub fn seconds(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms}ms")
    } else {
        format!("{:.1}s", ms as f64 / 1000.0)
    }
}

impl Observer for Reporter {
    fn waiting(&self, node: &str) {
        if !self.json {
            eprintln!("  waiting  {node}: another t2d process is computing it");
        }
    }

    fn finished(&self, report: &NodeReport) {
        self.emit(&self.line(report));
    }
}
