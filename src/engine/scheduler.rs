//! Runs a checked pipeline: computes each node's key once its inputs are known, reuses
//! cached entries, and hands the rest to an [`Executor`] — independent nodes concurrently.
//!
//! A failing node blocks only its dependents; independent branches finish. Because each
//! completed node is a cache entry, the next exec resumes from what completed.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::time::Instant;

use super::digest::NodeKey;
use super::executor::Executor;
use super::history::{last_seen, name_changed_files, remember};
use super::job::Job;
use super::key::KeyComponents;
use super::pipeline::Pipeline;
use super::plan::ExternalDigests;
use super::reasons::{explain, Reason};
use super::run_record::{now_ms, NodeRun, RunRecord};
use super::schema::unkeyed_params;
use super::stage::StageError;
use super::store::{ArtifactRef, Lookup, Manifest, Store, FORMAT_VERSION};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Cached,
    Ran,
    Failed,
    Blocked,
    WouldRun,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Cached => "cached",
            Status::Ran => "ran",
            Status::Failed => "failed",
            Status::Blocked => "blocked",
            Status::WouldRun => "would-run",
        }
    }
}

#[derive(Clone, Debug)]
pub struct NodeReport {
    pub node: String,
    pub kind: String,
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub duration_ms: u64,
    pub key: Option<NodeKey>,
    pub error: Option<(String, Option<String>)>,
    pub outputs: BTreeMap<String, ArtifactRef>,
    pub log: Vec<String>,
    pub params: BTreeMap<String, super::value::Value>,
}

/// Hears about progress as it happens (the CLI prints it).
pub trait Observer: Sync {
    fn waiting(&self, _node: &str) {}
    fn started(&self, _node: &str) {}
    fn finished(&self, report: &NodeReport);
}

pub struct ExecOptions {
    pub jobs: usize,
    pub dry_run: bool,
    pub force: Vec<String>,
    pub file: String,
    pub sets: Vec<String>,
}

pub struct ExecSummary {
    /// The run's record as saved (none for a dry run).
    pub run: Option<RunRecord>,
    /// One report per node, in pipeline order.
    pub reports: Vec<NodeReport>,
}

#[derive(Clone)]
enum State {
    Waiting,
    Running,
    Done(BTreeMap<String, ArtifactRef>),
    WouldRun,
    Failed,
    Blocked,
}

pub fn execute(
    pipeline: &Pipeline,
    externals: &ExternalDigests,
    store: &dyn Store,
    executor: &dyn Executor,
    options: &ExecOptions,
    observer: &dyn Observer,
) -> ExecSummary {
    let n = pipeline.nodes.len();
    let cores = std::thread::available_parallelism().map(|c| c.get()).unwrap_or(1);
    let jobs = options.jobs.max(1);
    let mut state = vec![State::Waiting; n];
    let mut reports: Vec<Option<NodeReport>> = vec![None; n];
    let mut record = (!options.dry_run).then(|| RunRecord::start(&pipeline.name, &options.file, &options.sets));
    let save = |record: &Option<RunRecord>| {
        if let Some(r) = record {
            if let Err(e) = r.save(store) {
                tracing::warn!("cannot write the run record: {e}");
            }
        }
    };
    // Saved again after every node that ran (so a killed run leaves an honest record) and at the end.
    save(&record);

    let (tx, rx) = mpsc::channel::<(usize, Job, Result<(Manifest, bool), StageError>, u64)>();
    std::thread::scope(|scope| {
        let mut running = 0usize;
        loop {
            let mut progressed = true;
            while progressed {
                progressed = false;
                for i in 0..n {
                    if !matches!(state[i], State::Waiting) {
                        continue;
                    }
                    let node = &pipeline.nodes[i];
                    let deps = pipeline.dependencies(i);
                    let finish = |status: Status, reasons: Vec<Reason>, key: Option<NodeKey>| NodeReport {
                        node: node.name.clone(),
                        kind: node.stage.kind().to_string(),
                        status,
                        reasons,
                        duration_ms: 0,
                        key,
                        error: None,
                        outputs: BTreeMap::new(),
                        log: Vec::new(),
                        params: node.params.0.clone(),
                    };
                    if deps.iter().any(|d| matches!(state[*d], State::Failed | State::Blocked)) {
                        let report = finish(Status::Blocked, Vec::new(), None);
                        settle(i, State::Blocked, report, &mut state, &mut reports, &mut record, observer);
                        progressed = true;
                        continue;
                    }
                    let pending: Vec<(String, String)> = node
                        .inputs
                        .iter()
                        .filter(|(_, (from, _))| matches!(state[*from], State::WouldRun))
                        .map(|(slot, (from, _))| (slot.clone(), pipeline.nodes[*from].name.clone()))
                        .collect();
                    if !deps.iter().all(|d| matches!(state[*d], State::Done(_) | State::WouldRun)) {
                        continue;
                    }
                    let components = key_components(pipeline, i, &state, externals);
                    let key = components.key();
                    let forced = options.force.contains(&node.name);
                    let previous = last_seen(store, &pipeline.name, &node.name);
                    if pending.is_empty() && !forced {
                        if let Ok(Lookup::Hit(manifest)) = store.lookup(&key) {
                            remember(store, &pipeline.name, &node.name, key, components, &externals[i]);
                            let mut report = finish(Status::Cached, Vec::new(), Some(key));
                            report.outputs = manifest.outputs.clone();
                            settle(
                                i,
                                State::Done(manifest.outputs),
                                report,
                                &mut state,
                                &mut reports,
                                &mut record,
                                observer,
                            );
                            progressed = true;
                            continue;
                        }
                    }
                    let source_of = |slot: &str| {
                        node.inputs.get(slot).map(|(from, _)| pipeline.nodes[*from].name.clone()).unwrap_or_default()
                    };
                    let mut reasons = if forced {
                        vec![Reason::Forced]
                    } else {
                        explain(previous.as_ref().map(|p| &p.components), &components, &pending, &source_of)
                    };
                    name_changed_files(&mut reasons, previous.as_ref(), &externals[i], store);
                    if options.dry_run {
                        let report = finish(Status::WouldRun, reasons, pending.is_empty().then_some(key));
                        settle(i, State::WouldRun, report, &mut state, &mut reports, &mut record, observer);
                        progressed = true;
                        continue;
                    }
                    if running >= jobs {
                        continue;
                    }
                    let job = Job {
                        pipeline: pipeline.name.clone(),
                        node: node.name.clone(),
                        key,
                        components,
                        params: node.params.0.clone(),
                        inputs: input_refs(pipeline, i, &state),
                        threads: (cores / (running + 1)).max(1),
                    };
                    reports[i] = Some(finish(Status::Ran, reasons, Some(key)));
                    state[i] = State::Running;
                    running += 1;
                    let tx = tx.clone();
                    let stage = node.stage.clone();
                    scope.spawn(move || {
                        let started = Instant::now();
                        let result = (|| {
                            let _reservation = store
                                .reserve(&job.key, &|| observer.waiting(&job.node))
                                .map_err(|e| StageError::new(e.to_string()))?;
                            if !forced {
                                if let Ok(Lookup::Hit(manifest)) = store.lookup(&job.key) {
                                    return Ok((*manifest, true));
                                }
                            }
                            observer.started(&job.node);
                            executor.execute(stage.as_ref(), &job).map(|m| (m, false))
                        })();
                        let _ = tx.send((i, job, result, started.elapsed().as_millis() as u64));
                    });
                }
            }
            if running == 0 {
                break;
            }
            let Ok((i, job, result, elapsed)) = rx.recv() else { break };
            running -= 1;
            let mut report = reports[i].take().expect("a running node has a report");
            report.duration_ms = elapsed;
            let next = match result {
                Ok((manifest, by_other)) => {
                    remember(store, &pipeline.name, &job.node, job.key, job.components, &externals[i]);
                    if by_other {
                        report.status = Status::Cached;
                        report.reasons.clear();
                    }
                    report.outputs = manifest.outputs.clone();
                    report.log = manifest.log.clone();
                    State::Done(manifest.outputs)
                }
                Err(e) => {
                    report.status = Status::Failed;
                    report.error = Some((e.message, e.help));
                    State::Failed
                }
            };
            settle(i, next, report, &mut state, &mut reports, &mut record, observer);
            save(&record);
        }
    });

    if let Some(r) = record.as_mut() {
        r.finished_unix_ms = Some(now_ms());
        r.status = if reports.iter().flatten().any(|r| matches!(r.status, Status::Failed | Status::Blocked)) {
            "failed".into()
        } else {
            "ok".into()
        };
    }
    save(&record);
    ExecSummary { run: record, reports: reports.into_iter().flatten().collect() }
}

fn settle(
    i: usize,
    next: State,
    report: NodeReport,
    state: &mut [State],
    reports: &mut [Option<NodeReport>],
    record: &mut Option<RunRecord>,
    observer: &dyn Observer,
) {
    observer.finished(&report);
    if let Some(r) = record.as_mut() {
        r.nodes.insert(
            report.node.clone(),
            NodeRun {
                kind: report.kind.clone(),
                status: report.status.as_str().into(),
                key: report.key,
                duration_ms: report.duration_ms,
                params: report.params.clone(),
                outputs: report.outputs.clone(),
                error: report.error.as_ref().map(|e| e.0.clone()),
            },
        );
    }
    state[i] = next;
    reports[i] = Some(report);
}

fn input_refs(pipeline: &Pipeline, i: usize, state: &[State]) -> BTreeMap<String, ArtifactRef> {
    pipeline.nodes[i]
        .inputs
        .iter()
        .filter_map(|(slot, (from, output))| match &state[*from] {
            State::Done(outputs) => outputs.get(output).map(|r| (slot.clone(), r.clone())),
            _ => None,
        })
        .collect()
}

fn key_components(pipeline: &Pipeline, i: usize, state: &[State], externals: &ExternalDigests) -> KeyComponents {
    let node = &pipeline.nodes[i];
    let schema = node.stage.params();
    let unkeyed = unkeyed_params(&schema);
    KeyComponents {
        format: FORMAT_VERSION,
        kind: node.stage.kind().to_string(),
        stage_version: node.stage.version(),
        params: node
            .params
            .0
            .iter()
            .filter(|(k, _)| !unkeyed.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        inputs: input_refs(pipeline, i, state).into_iter().map(|(slot, r)| (slot, r.digest)).collect(),
        externals: externals[i].iter().map(|(param, fp)| (param.clone(), fp.digest)).collect(),
    }
}
