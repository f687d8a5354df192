//! The silhouette-versus-K curve as a small inline SVG. Written out directly: plotters cannot
//! label axes without a font backend, and a single polyline with ticks needs nothing more.

use std::fmt::Write;

use super::data::KPoint;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 42.0;

/// A line chart of the silhouette per K with the chosen K marked; empty when no K was scored.
pub fn silhouette_svg(points: &[KPoint]) -> String {
    let scored: Vec<(f64, f64, bool, bool)> =
        points.iter().filter_map(|p| p.silhouette.map(|s| (p.k as f64, s, p.chosen, p.best))).collect();
    if scored.is_empty() {
        return String::new();
    }
    let (k_lo, k_hi) = scored.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (s_lo, s_hi) = scored.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let pad = ((s_hi - s_lo) * 0.15).max(0.005);
    let (s_lo, s_hi) = (s_lo - pad, s_hi + pad);
    let x = |k: f64| LEFT + (k - k_lo + 0.5) / (k_hi - k_lo + 1.0) * (WIDTH - LEFT - RIGHT);
    let y = |s: f64| TOP + (s_hi - s) / (s_hi - s_lo) * (HEIGHT - TOP - BOTTOM);
    let (x0, y0) = (LEFT, HEIGHT - BOTTOM);

    let mut svg = format!(
        r#"<svg width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-size="11" font-family="sans-serif">"#
    );
    let _ = write!(svg, r##"<path d="M{x0} {TOP}V{y0}H{}" fill="none" stroke="#888"/>"##, WIDTH - RIGHT);
    for k in (k_lo as i64)..=(k_hi as i64) {
        let _ = write!(svg, r#"<text x="{:.1}" y="{}" text-anchor="middle">{k}</text>"#, x(k as f64), y0 + 16.0);
    }
    for i in 0..=4 {
        let s = s_lo + (s_hi - s_lo) * i as f64 / 4.0;
        let _ = write!(svg, r#"<text x="{}" y="{:.1}" text-anchor="end">{s:.3}</text>"#, LEFT - 6.0, y(s) + 4.0);
    }
    let _ =
        write!(svg, r#"<text x="{}" y="{}" text-anchor="middle">K</text>"#, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 6.0);
    let _ = write!(
        svg,
        r#"<text transform="translate(14 {}) rotate(-90)" text-anchor="middle">silhouette</text>"#,
        (TOP + y0) / 2.0
    );
    let line: Vec<String> = scored.iter().map(|p| format!("{:.1},{:.1}", x(p.0), y(p.1))).collect();
    let _ = write!(svg, r##"<polyline points="{}" fill="none" stroke="#36c" stroke-width="2"/>"##, line.join(" "));
    for &(k, s, chosen, best) in &scored {
        let (r, colour) = if chosen { (6, "#d33") } else { (3, "#36c") };
        let note = match (chosen, best) {
            (true, true) => " (best, chosen)",
            (true, false) => " (chosen after the size rule)",
            (false, true) => " (best, too small a cluster)",
            _ => "",
        };
        let (cx, cy) = (x(k), y(s));
        let _ = write!(
            svg,
            r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r}" fill="{colour}"><title>K {k}: {s:.4}{note}</title></circle>"#
        );
        if best && !chosen {
            let _ =
                write!(svg, r##"<circle class="best" cx="{cx:.1}" cy="{cy:.1}" r="7" fill="none" stroke="#d33"/>"##);
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_has_a_point_per_scored_k_and_the_chosen_one_stands_out() {
        let points: Vec<KPoint> = (4..=8)
            .map(|k| KPoint { k, silhouette: (k != 8).then_some(0.1 + k as f64 / 100.0), best: k == 7, chosen: k == 6 })
            .collect();
        let svg = silhouette_svg(&points);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
        assert_eq!(svg.matches("<circle cx").count(), 4, "K 8 was not scored");
        assert_eq!(svg.matches("r=\"6\"").count(), 1, "one chosen K");
        assert!(svg.contains("K 6: 0.1600 (chosen after the size rule)"), "{svg}");
        assert_eq!(svg.matches("<circle class=\"best\"").count(), 1, "the best K is ringed");
        assert!(svg.contains(">silhouette<") && svg.contains(">K<"));
    }

    #[test]
    fn a_higher_silhouette_is_drawn_higher() {
        let points = [
            KPoint { k: 2, silhouette: Some(0.2), best: false, chosen: false },
            KPoint { k: 3, silhouette: Some(0.4), best: true, chosen: true },
        ];
        let svg = silhouette_svg(&points);
        let cy: Vec<f64> = svg.split("cy=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
        assert!(cy[1] < cy[0], "{cy:?}");
    }

    #[test]
    fn no_scored_k_gives_no_chart() {
        assert_eq!(silhouette_svg(&[KPoint { k: 2, silhouette: None, best: false, chosen: true }]), "");
    }
}
