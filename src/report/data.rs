//! What the report shows, independent of where it came from.

use base64::Engine;

/// An image ready to inline: its bytes and MIME type.
#[derive(Clone, Debug)]
pub struct Thumb {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

impl Thumb {
    pub fn data_uri(&self) -> String {
        format!("data:{};base64,{}", self.mime, base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

/// One K tried by the cluster node.
#[derive(Clone, Debug)]
pub struct KPoint {
    pub k: usize,
    /// `None` when the K was not scored (e.g. more clusters than points).
    pub silhouette: Option<f64>,
    /// The best silhouette; the chosen K differs when a too-small cluster made K back off.
    pub best: bool,
    pub chosen: bool,
}

/// One generated design with its judgement.
#[derive(Clone, Debug)]
pub struct DesignView {
    pub round: i32,
    pub candidate: i32,
    pub prompt: String,
    pub score: f64,
    pub label: String,
    pub picked: bool,
    /// Where the full-size PNG lies among the deliverables (e.g. `gens/c0_v2.png`).
    pub path: String,
    pub image: Option<Thumb>,
}

#[derive(Clone, Debug)]
pub struct ClusterView {
    pub id: i32,
    pub size: usize,
    pub prompt: String,
    /// Dominant colour names in order, and how many member photos had each.
    pub colours: Vec<String>,
    pub colour_counts: Vec<(String, usize)>,
    pub styles: Vec<String>,
    pub garments: Vec<String>,
    pub textures: Vec<String>,
    pub adjectives: Vec<String>,
    pub members: Vec<Thumb>,
    pub designs: Vec<DesignView>,
}

#[derive(Clone, Debug)]
pub struct ReportData {
    pub title: String,
    pub threshold: Option<f64>,
    pub k_curve: Vec<KPoint>,
    pub clusters: Vec<ClusterView>,
}
