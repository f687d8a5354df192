//! A checked pipeline: every node's kind found, params resolved, inputs bound, no cycles.
//!
//! The only way to get one is [`validate`](super::validate::validate), so the scheduler
//! never sees a graph that was not checked.

use std::collections::BTreeMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use super::stage::{Params, Stage};

pub struct Node {
    pub name: String,
    pub stage: Arc<dyn Stage>,
    pub params: Params,
    /// Input slot → (index of the upstream node in [`Pipeline::nodes`], output name).
    pub inputs: BTreeMap<String, (usize, String)>,
}

pub struct Pipeline {
    pub name: String,
    pub cache: Option<String>,
    /// In dependency order: every node comes after the nodes it reads.
    pub nodes: Vec<Node>,
    pub(crate) graph: DiGraph<usize, ()>,
}

impl Pipeline {
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// Indices of the nodes that read `index`'s outputs.
    pub fn dependents(&self, index: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .graph
            .neighbors_directed(NodeIndex::new(index), petgraph::Direction::Outgoing)
            .map(|n| self.graph[n])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Indices of the nodes `index` reads from.
    pub fn dependencies(&self, index: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.nodes[index].inputs.values().map(|(i, _)| *i).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Nodes without dependents: the pipeline's final products.
    pub fn sinks(&self) -> Vec<usize> {
        (0..self.nodes.len()).filter(|i| self.dependents(*i).is_empty()).collect()
    }

    /// `index` and everything downstream of it.
    pub fn downstream_of(&self, index: usize) -> Vec<usize> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![index];
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut seen[i], true) {
                stack.extend(self.dependents(i));
            }
        }
        (0..self.nodes.len()).filter(|i| seen[*i]).collect()
    }
}
