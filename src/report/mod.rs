//! The visual report: one self-contained HTML page per pipeline that shows each trend's
//! members, tags, prompt and every design made for it, with the final pick highlighted.
//! Built from plain data, so it knows nothing of the engine or the models.

mod chart;
mod data;
mod page;
mod thumbnail;

pub use chart::silhouette_svg;
pub use data::{ClusterView, DesignView, KPoint, ReportData, Thumb};
pub use page::render;
pub use thumbnail::{thumbnail, ThumbnailError};
