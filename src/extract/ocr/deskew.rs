//! Straightens a scanned page before OCR. Pages come off feeders turned a degree or two, and
//! Tesseract's page layout analysis loses whole lines of such a page when it is also noisy
//! (measured on a 156-dpi speckled page turned 1.5°: 1 700 of 2 800 characters read; turned
//! back, all of them). The angle is found by projection profiles: the dark pixels' rows are
//! summed along lines of each candidate slope, and the slope whose profile is sharpest
//! (largest sum of squared counts) is the text lines' slope.

use image::GrayImage;

/// Slopes searched, in degrees either way (feeder skew; a page turned more is not a skew).
const MAX_DEGREES: f32 = 5.0;
/// A page turned less than this is left alone (a resampling costs more than it gains).
const MIN_DEGREES: f32 = 0.15;
/// Pixels darker than this count as ink.
const INK: u8 = 128;

/// The text lines' slope in degrees: positive when they fall to the right (the page turned
/// clockwise on screen). `None` for a page with too little ink to tell.
pub fn skew_degrees(gray: &GrayImage) -> Option<f32> {
    let (w, h) = gray.dimensions();
    // About 1 000 samples across the page are plenty to see lines.
    let step = (w / 1000).max(1);
    let mut ink: Vec<(f32, f32)> = Vec::new();
    for y in (0..h).step_by(step as usize) {
        for x in (0..w).step_by(step as usize) {
            if gray.get_pixel(x, y).0[0] < INK {
                ink.push(((x / step) as f32, (y / step) as f32));
            }
        }
    }
    if ink.len() < 200 {
        return None;
    }
    let rows = (h / step) as usize + 1;
    let cols = (w / step) as f32;
    // The bins must hold every projected row: y - x·tan θ ranges over rows ± cols·tan(max).
    let margin = (cols * MAX_DEGREES.to_radians().tan()).ceil() as usize + 1;
    let mut bins = vec![0u32; rows + 2 * margin];
    let mut score = |degrees: f32| -> u64 {
        bins.iter_mut().for_each(|b| *b = 0);
        let t = degrees.to_radians().tan();
        for &(x, y) in &ink {
            let r = (y - x * t).round() as isize + margin as isize;
            if let Some(b) = usize::try_from(r).ok().and_then(|r| bins.get_mut(r)) {
                *b += 1;
            }
        }
        bins.iter().map(|&c| u64::from(c) * u64::from(c)).sum()
    };
    let best = |from: f32, to: f32, by: f32, score: &mut dyn FnMut(f32) -> u64| {
        let n = ((to - from) / by).round() as i32;
        (0..=n)
            .map(|i| from + i as f32 * by)
            .max_by_key(|&d| score(d))
            .unwrap_or(0.0)
    };
    let coarse = best(-MAX_DEGREES, MAX_DEGREES, 0.2, &mut score);
    Some(best(coarse - 0.2, coarse + 0.2, 0.02, &mut score))
}

/// The page turned back by its skew (white where the turn uncovers the edges), or as it is
/// when its skew is under 0.15° or cannot be told.
pub fn deskew(gray: GrayImage) -> GrayImage {
    match skew_degrees(&gray) {
        Some(d) if d.abs() >= MIN_DEGREES && d.abs() < MAX_DEGREES => rotate(&gray, d),
        _ => gray,
    }
}

/// Turns an image about its centre by `degrees` counter-clockwise on screen, keeping its
/// size (white comes in at the edges), bilinear: output pixel (x, y) takes the source at
/// (x, y) turned by `degrees`, so lines falling by tan θ to the right come out level.
pub fn rotate(src: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = src.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let raw = src.as_raw();
    let at = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
            255.0
        } else {
            f32::from(raw[y as usize * w as usize + x as usize])
        }
    };
    GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let sx = cx + dx * cos - dy * sin;
        let sy = cy + dx * sin + dy * cos;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
        let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
        image::Luma([(top * (1.0 - fy) + bottom * fy).round() as u8])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::scanned::{degrade, render_pages, Degradation};

    fn letter() -> String {
        "Vedtak om tilskudd til lag og foreninger i Sørfjord kommune. ".repeat(40)
    }

    #[test]
    fn the_skew_of_a_turned_page_is_found_and_removed() {
        let page = &render_pages(&letter(), 150)[0];
        assert!(skew_degrees(&page.image).is_some_and(|d| d.abs() < 0.1));
        for skew in [1.5f32, -1.2, 2.0] {
            let turned = degrade(
                page,
                Degradation::Degraded {
                    dpi: 150,
                    skew_degrees: skew,
                    speckle: 0.0,
                    jpeg_quality: 95,
                },
                1,
            );
            let found = skew_degrees(&turned.image).expect("a page of text");
            assert!(
                (found - skew).abs() < 0.15,
                "turned {skew}°, found {found}°"
            );
            let straight = deskew(turned.image);
            let left = skew_degrees(&straight).expect("still text");
            assert!(
                left.abs() < 0.15,
                "turned {skew}°, {left}° left after deskew"
            );
        }
    }

    #[test]
    fn a_blank_page_has_no_skew() {
        assert_eq!(
            skew_degrees(&GrayImage::from_pixel(800, 1100, image::Luma([255]))),
            None
        );
    }
}
