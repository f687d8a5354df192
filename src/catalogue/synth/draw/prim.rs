//! The few shapes every silhouette is built from, tested point by point in
//! the 60 × 80 design space, and the paint each layer uses.

/// A filled shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prim {
    Rect {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
    },
    Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
    },
    /// Any simple polygon (even–odd rule).
    Poly(Vec<(f32, f32)>),
    /// A thick line segment with round ends.
    Capsule {
        a: (f32, f32),
        b: (f32, f32),
        r: f32,
    },
}

impl Prim {
    pub(crate) fn contains(&self, x: f32, y: f32) -> bool {
        match self {
            Prim::Rect { x0, y0, x1, y1 } => x >= *x0 && x < *x1 && y >= *y0 && y < *y1,
            Prim::Ellipse { cx, cy, rx, ry } => {
                let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
                dx * dx + dy * dy <= 1.0
            }
            Prim::Poly(points) => {
                let mut inside = false;
                let mut j = points.len().wrapping_sub(1);
                for (i, &(xi, yi)) in points.iter().enumerate() {
                    let (xj, yj) = points[j];
                    if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                        inside = !inside;
                    }
                    j = i;
                }
                inside
            }
            Prim::Capsule { a, b, r } => {
                let (vx, vy) = (b.0 - a.0, b.1 - a.1);
                let len2 = (vx * vx + vy * vy).max(f32::EPSILON);
                let t = (((x - a.0) * vx + (y - a.1) * vy) / len2).clamp(0.0, 1.0);
                let (dx, dy) = (x - (a.0 + t * vx), y - (a.1 + t * vy));
                dx * dx + dy * dy <= r * r
            }
        }
    }

    /// `[x0, y0, x1, y1]` enclosing the shape.
    pub(crate) fn bounds(&self) -> [f32; 4] {
        match self {
            Prim::Rect { x0, y0, x1, y1 } => [*x0, *y0, *x1, *y1],
            Prim::Ellipse { cx, cy, rx, ry } => [cx - rx, cy - ry, cx + rx, cy + ry],
            Prim::Poly(points) => {
                points.iter().fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |[a, b, c, d], &(x, y)| {
                    [a.min(x), b.min(y), c.max(x), d.max(y)]
                })
            }
            Prim::Capsule { a, b, r } => [a.0.min(b.0) - r, a.1.min(b.1) - r, a.0.max(b.0) + r, a.1.max(b.1) + r],
        }
    }
}

/// How a layer is coloured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Paint {
    /// The product's colour and pattern.
    Body,
    /// The product's colour, plain: below 1 darker, above 1 toward white.
    Tone(f32),
    /// A fixed colour (soles, dials, buckles).
    Fixed([u8; 3]),
    /// Background: cuts holes.
    Clear,
}

/// A shape and its paint; later layers cover earlier ones.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layer {
    pub prim: Prim,
    pub paint: Paint,
    pub bounds: [f32; 4],
}

impl Layer {
    pub(crate) fn new(prim: Prim, paint: Paint) -> Self {
        let bounds = prim.bounds();
        Layer { prim, paint, bounds }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_contain_what_they_should() {
        let tri = Prim::Poly(vec![(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)]);
        assert!(tri.contains(2.0, 2.0));
        assert!(!tri.contains(8.0, 8.0));
        let cap = Prim::Capsule { a: (0.0, 0.0), b: (10.0, 0.0), r: 1.0 };
        assert!(cap.contains(5.0, 0.9) && cap.contains(10.5, 0.0));
        assert!(!cap.contains(5.0, 1.1));
        let e = Prim::Ellipse { cx: 0.0, cy: 0.0, rx: 4.0, ry: 2.0 };
        assert!(e.contains(3.9, 0.0) && !e.contains(0.0, 2.1));
        assert_eq!(tri.bounds(), [0.0, 0.0, 10.0, 10.0]);
    }
}
