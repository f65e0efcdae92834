//! Cutting polygons to a tile's window: any simple polygon (an exterior, and a hole inside it) on
//! the grid is cut into valid, oriented rings inside the window, or left to the overlay; never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use locality_atlas::tiles::clip::{Cutter, ring_contains};
use locality_atlas::tiles::shape::{Window, twice_area};
use locality_atlas::tiles::simple::{Point, is_simple};

fuzz_target!(|data: &[u8]| {
    // Bytes: the exterior's point count, the hole's, then points as pairs of signed bytes scaled
    // by 8 about the window (0..=255), so that rings cross its edges often.
    let [exterior_len, hole_len, rest @ ..] = data else { return };
    let mut points = rest.chunks_exact(2).map(|p| (i64::from(p[0] as i8) * 8 + 128, i64::from(p[1] as i8) * 8 + 128));
    let exterior: Vec<Point> = points.by_ref().take(usize::from(*exterior_len)).collect();
    let hole: Vec<Point> = points.take(usize::from(*hole_len)).collect();
    let mut rings = vec![exterior];
    if hole.len() >= 3 {
        rings.push(hole);
    }
    if rings[0].len() < 3 || !is_simple(&rings) || rings.iter().any(|r| twice_area(r) == 0) {
        return;
    }
    if let Some(&[(x, y), ..]) = rings.get(1).map(Vec::as_slice)
        && !ring_contains(&rings[0], (0, 0), (2 * x, 2 * y))
    {
        return;
    }
    for (k, ring) in rings.iter_mut().enumerate() {
        if (twice_area(ring) > 0) != (k == 0) {
            ring.reverse();
        }
    }
    let window = Window { min: (0, 0), max: (255, 255) };
    let mut cutter = Cutter::default();
    if cutter.cut(&vec![rings], (0, 0), window).is_none() {
        return;
    }
    assert!(cutter.pieces.is_valid_in(window), "{:?}", cutter.pieces.to_polygons());
});

