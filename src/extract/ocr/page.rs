//! One page image on its way to Tesseract: 8-bit grey, with its resolution when known, checked
//! against the page limit before it is decoded and scaled to the resolution Tesseract reads best.

use std::time::Duration;

use image::GrayImage;

/// Pages outside [`KEEP_DPI`] are scaled to this resolution.
pub const TARGET_DPI: f32 = 300.0;

/// Pages within this band are given to Tesseract as they are. Scaling a 150–200-dpi scan up
/// to 300 dpi made Tesseract read worse and slower on the synthetic degraded scans (10
/// documents: 13% character errors against 0.6% as they were, at 1.7× the time), so only
/// pages over 400 dpi (slow for nothing) and under 100 dpi (letters a few pixels high) are scaled.
pub const KEEP_DPI: std::ops::RangeInclusive<f32> = 100.0..=400.0;

/// A page image: grey (0 black, 255 white) and its resolution when the file says it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    /// The pixels.
    pub gray: GrayImage,
    /// Dots per inch, from the file (TIFF/PNG/JPEG density, or a PDF image's size on its page).
    pub dpi: Option<f32>,
}

/// Why one page gave no text. A page's failure never stops the document or the scan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    /// Over the pixel limit; refused from its header, before decoding.
    #[error("{width} × {height} px, over the page limit of {limit} pixels")]
    TooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
        /// The limit.
        limit: u64,
    },
    /// The image data could not be decoded.
    #[error("the page image cannot be decoded: {0}")]
    Undecodable(String),
    /// A PDF page without a text layer has no scanned image to read (blank, or only drawings,
    /// a logo, a signature): nothing to OCR, and no failure.
    #[error("the page has no scanned image")]
    NoImage,
    /// Tesseract took longer than the per-page limit.
    #[error("OCR took longer than {} s", .0.as_secs_f32())]
    Timeout(Duration),
    /// Tesseract itself failed (model missing, engine error).
    #[error("{0}")]
    Engine(String),
}

impl PageError {
    /// The status a document gets when every one of its pages failed this way.
    pub fn status(&self) -> crate::extract::ExtractStatus {
        use crate::extract::ExtractStatus;
        match self {
            PageError::TooLarge { .. } => ExtractStatus::TooLarge,
            PageError::Timeout(_) => ExtractStatus::Timeout,
            PageError::Undecodable(_) | PageError::NoImage => ExtractStatus::Corrupt,
            PageError::Engine(_) => ExtractStatus::NeedsOcr,
        }
    }
}

/// The grey of an RGB pixel (ITU-R BT.601 weights).
pub fn gray_of_rgb(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// The grey of a CMYK pixel: white paper less its ink (the black plus the mean of the colours).
pub fn gray_of_cmyk(c: u8, m: u8, y: u8, k: u8) -> u8 {
    let colour = ((u16::from(c) + u16::from(m) + u16::from(y)) / 3) as u8;
    255 - k.saturating_add(colour)
}

/// Refuses a page of `width × height` over `limit` pixels (or with no pixels).
pub fn check_size(width: u64, height: u64, limit: u64) -> Result<(), PageError> {
    if width == 0 || height == 0 {
        return Err(PageError::Undecodable(format!(
            "the image is {width} × {height} px"
        )));
    }
    match width.checked_mul(height) {
        Some(px) if px <= limit => Ok(()),
        _ => Err(PageError::TooLarge {
            width,
            height,
            limit,
        }),
    }
}

impl PageImage {
    /// The page as Tesseract should see it: scaled to [`TARGET_DPI`] when its resolution is
    /// known and outside [`KEEP_DPI`] (a 600-dpi scan is halved, a 75-dpi one quadrupled), never
    /// past `max_pixels`, then straightened ([`super::deskew`]). Without a resolution, an
    /// A4-shaped page is taken as an A4 sheet for its resolution.
    pub fn prepared(self, max_pixels: u64) -> PageImage {
        let (w, h) = (self.gray.width() as f32, self.gray.height() as f32);
        let dpi = self
            .dpi
            .filter(|d| d.is_finite() && *d >= 30.0)
            .or_else(|| {
                // An A4 page is 8.27 inches wide.
                (h > w * 1.3 && h < w * 1.5).then_some(w / 8.27)
            });
        let Some(dpi) = dpi.filter(|d| !KEEP_DPI.contains(d)) else {
            return PageImage {
                gray: super::deskew::deskew(self.gray),
                dpi,
            };
        };
        let mut scale = TARGET_DPI / dpi;
        let room = (max_pixels as f32 / (w * h)).sqrt();
        scale = scale.min(room);
        let (nw, nh) = ((w * scale).floor() as u32, (h * scale).floor() as u32);
        if nw == 0 || nh == 0 || (nw, nh) == (self.gray.width(), self.gray.height()) {
            return PageImage {
                gray: super::deskew::deskew(self.gray),
                dpi: Some(dpi),
            };
        }
        let filter = if scale > 1.0 {
            image::imageops::FilterType::CatmullRom
        } else {
            image::imageops::FilterType::Triangle
        };
        PageImage {
            gray: super::deskew::deskew(image::imageops::resize(&self.gray, nw, nh, filter)),
            dpi: Some(dpi * scale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_far_from_300_dpi_are_brought_to_it_and_others_kept() {
        let page = |w, h, dpi| PageImage {
            gray: GrayImage::from_pixel(w, h, image::Luma([255])),
            dpi,
        };
        let low = page(620, 877, Some(75.0)).prepared(u64::MAX);
        assert_eq!((low.gray.width(), low.gray.height()), (2480, 3508));
        assert_eq!(low.dpi, Some(300.0));
        let high = page(4960, 7016, Some(600.0)).prepared(u64::MAX);
        assert_eq!(high.gray.width(), 2480);
        let kept = page(1240, 1754, Some(150.0)).prepared(u64::MAX);
        assert_eq!((kept.gray.width(), kept.dpi), (1240, Some(150.0)));
        // No resolution: an A4-shaped page 620 px wide is a 75-dpi scan; 1 240 px, 150 dpi.
        let guessed = page(620, 877, None).prepared(u64::MAX);
        assert!((2479..=2481).contains(&guessed.gray.width()));
        assert_eq!(
            page(1240, 1754, None)
                .prepared(u64::MAX)
                .dpi
                .map(f32::round),
            Some(150.0)
        );
        // The page limit caps the upscaling.
        let capped = page(620, 877, Some(75.0)).prepared(4_000_000);
        assert!(u64::from(capped.gray.width()) * u64::from(capped.gray.height()) <= 4_000_000);
    }

    #[test]
    fn pages_over_the_limit_are_refused_from_their_size() {
        assert!(check_size(20_000, 20_000, 50_000_000).is_err());
        assert!(check_size(0, 10, 50_000_000).is_err());
        assert!(check_size(2480, 3508, 50_000_000).is_ok());
        assert!(check_size(u64::MAX, 2, u64::MAX).is_err());
    }
}
