//! The report's markup. Every text goes through maud, which escapes it; the only raw markup is
//! the chart (our own SVG) and the fixed style sheet and scripts below.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::data::{ClusterView, DesignView, ReportData, Thumb};

const STYLE: &str = include_str!("report.css");
/// Marks images that failed to load (and says so at the top), and fills the run facts from
/// `run.js`, which `t2d exec` writes beside the outputs after every run.
const SCRIPT: &str = include_str!("report.js");

/// The whole page; `chart` is the silhouette SVG (may be empty).
pub fn render(data: &ReportData, chart: &str) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (data.title) " · t2d report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (data.title) }
                    p class="summary" {
                        (data.clusters.len()) " trend(s) · "
                        (data.clusters.iter().map(|c| c.designs.len()).sum::<usize>()) " design(s)"
                        @if let Some(t) = data.threshold { " · yes when score ≥ " (format!("{t:.4}")) }
                    }
                    p id="broken" hidden {}
                    nav { @for c in &data.clusters { a href=(format!("#c{}", c.id)) { "trend " (c.id) } } }
                }
                section class="facts" {
                    div {
                        h2 { "K by silhouette" }
                        @if chart.is_empty() { p { "no K was scored" } } @else {
                            (PreEscaped(chart))
                            p class="legend" { "red: the chosen K; a ring: the best silhouette when a cluster smaller than min_cluster_size made K back off" }
                        }
                    }
                    div {
                        h2 { "Run" }
                        div id="run-facts" { p { "run facts come from run.js beside this page (written by t2d exec)" } }
                    }
                }
                @for c in &data.clusters { (cluster(c)) }
                script src="run.js" {}
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

fn chips(class: &str, items: &[String]) -> Markup {
    html! { @for item in items { span class=(format!("chip {class}")) { (item) } } }
}

fn image(thumb: &Option<Thumb>, alt: &str) -> Markup {
    html! {
        @match thumb {
            Some(t) => img src=(t.data_uri()) alt=(alt);
            None => span class="missing" { "image not available" }
        }
    }
}

fn cluster(c: &ClusterView) -> Markup {
    html! {
        section class="cluster" id=(format!("c{}", c.id)) {
            h2 { "Trend " (c.id) span class="size" { (c.size) " items" } }
            div class="tags" {
                @for (name, count) in &c.colour_counts {
                    span class="chip colour" title=(format!("{count} of the sampled member photos")) {
                        (name) " ×" (count)
                    }
                }
                (chips("style", &c.styles)) (chips("garment", &c.garments))
                (chips("texture", &c.textures)) (chips("adjective", &c.adjectives))
            }
            div class="members" {
                @for (i, m) in c.members.iter().enumerate() { img src=(m.data_uri()) alt=(format!("member {}", i + 1)); }
            }
            p class="prompt" { (c.prompt) }
            div class="designs" { @for d in &c.designs { (design(d, &c.prompt)) } }
        }
    }
}

fn design(d: &DesignView, base_prompt: &str) -> Markup {
    let name = if d.candidate > 0 { format!("v{} k{}", d.round, d.candidate) } else { format!("v{}", d.round) };
    html! {
        figure class=(if d.picked { "design picked" } else { "design" }) {
            (image(&d.image, &d.path))
            figcaption {
                @if d.picked { span class="badge" { "final" } }
                strong { (name) } " · score " (format!("{:.4}", d.score)) " · "
                span class=(format!("label {}", d.label)) { (d.label) }
                br;
                code { (d.path) }
                @if d.prompt != base_prompt { p class="refined" { (d.prompt) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::KPoint;
    use super::*;

    fn thumb() -> Thumb {
        Thumb { mime: "image/jpeg", bytes: vec![0xff, 0xd8, 0xff] }
    }

    fn data() -> ReportData {
        let design = |round, picked, prompt: &str| DesignView {
            round,
            candidate: 0,
            prompt: prompt.into(),
            score: 0.8125,
            label: if picked { "yes".into() } else { "no".into() },
            picked,
            path: format!("gens/c0_v{round}.png"),
            image: Some(thumb()),
        };
        ReportData {
            title: "demo".into(),
            threshold: Some(0.75),
            k_curve: vec![KPoint { k: 2, silhouette: Some(0.5), best: true, chosen: true }],
            clusters: vec![ClusterView {
                id: 0,
                size: 12,
                prompt: "<script>alert(1)</script> & co".into(),
                colours: vec!["white".into()],
                colour_counts: vec![("white".into(), 9)],
                styles: vec!["minimalist".into()],
                garments: vec!["dress".into()],
                textures: vec!["silk".into()],
                adjectives: vec!["bold".into()],
                members: vec![thumb(), thumb()],
                designs: vec![design(1, false, "<script>alert(1)</script> & co"), design(2, true, "refined \"x\"")],
            }],
        }
    }

    #[test]
    fn text_is_escaped_and_images_inline() {
        let html = render(&data(), "<svg></svg>");
        assert!(!html.contains("<script>alert"), "prompts are escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(html.contains("refined &quot;x&quot;"), "a refined prompt is shown with its design");
        assert_eq!(html.matches("src=\"data:image/jpeg;base64,").count(), 4, "2 members + 2 designs");
        assert!(!html.contains("http://") && !html.contains("https://"), "no network");
    }

    #[test]
    fn the_final_pick_is_marked_once() {
        let html = render(&data(), "");
        assert_eq!(html.matches("class=\"design picked\"").count(), 1);
        assert_eq!(html.matches("class=\"badge\"").count(), 1);
        assert!(html.contains("no K was scored"));
        assert!(html.contains("white ×9"));
    }
}
