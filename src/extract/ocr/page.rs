//! One page image on its way to Tesseract: 8-bit grey, with its resolution when known, checked
//! against the page limit before it is decoded and scaled to the resolution Tesseract reads best.

use std::time::Duration;

use image::GrayImage;

/// Tesseract's models are trained on text around 300 dpi; pages are scaled to it.
pub const TARGET_DPI: f32 = 300.0;

/// Pages within this band are given to Tesseract as they are (scaling costs more than it gains).
const KEEP_DPI: std::ops::RangeInclusive<f32> = 250.0..=400.0;

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
    /// The page has no image to read (a PDF page with neither text nor an image).
    #[error("the page has no image")]
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
    /// known and outside 250–400 dpi (a 150-dpi scan is doubled, a 600-dpi one halved), never
    /// past `max_pixels`. Without a resolution, a page narrower than an A4 sheet at 200 dpi is
    /// taken as a low-resolution A4 scan and scaled likewise.
    pub fn prepared(self, max_pixels: u64) -> PageImage {
        let (w, h) = (self.gray.width() as f32, self.gray.height() as f32);
        let dpi = self
            .dpi
            .filter(|d| d.is_finite() && *d >= 30.0)
            .or_else(|| {
                // An A4 page is 8.27 inches wide; a page image this narrow is a low-resolution scan.
                let a4_dpi = w / 8.27;
                ((72.0..200.0).contains(&a4_dpi) && h > w).then_some(a4_dpi)
            });
        let Some(dpi) = dpi else {
            return self;
        };
        if KEEP_DPI.contains(&dpi) {
            return PageImage {
                gray: self.gray,
                dpi: Some(dpi),
            };
        }
        let mut scale = TARGET_DPI / dpi;
        let room = (max_pixels as f32 / (w * h)).sqrt();
        scale = scale.min(room);
        let (nw, nh) = ((w * scale).round() as u32, (h * scale).round() as u32);
        if nw == 0 || nh == 0 || (nw, nh) == (self.gray.width(), self.gray.height()) {
            return self;
        }
        let filter = if scale > 1.0 {
            image::imageops::FilterType::CatmullRom
        } else {
            image::imageops::FilterType::Triangle
        };
        PageImage {
            gray: image::imageops::resize(&self.gray, nw, nh, filter),
            dpi: Some(dpi * scale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_and_high_resolution_pages_are_brought_to_300_dpi() {
        let page = |w, h, dpi| PageImage {
            gray: GrayImage::new(w, h),
            dpi,
        };
        let low = page(1240, 1754, Some(150.0)).prepared(u64::MAX);
        assert_eq!((low.gray.width(), low.gray.height()), (2480, 3508));
        assert_eq!(low.dpi, Some(300.0));
        let high = page(4960, 7016, Some(600.0)).prepared(u64::MAX);
        assert_eq!(high.gray.width(), 2480);
        let kept = page(2480, 3508, Some(300.0)).prepared(u64::MAX);
        assert_eq!(kept.gray.width(), 2480);
        // No resolution: an A4-shaped page 1 240 px wide is a 150-dpi scan.
        let guessed = page(1240, 1754, None).prepared(u64::MAX);
        assert_eq!(guessed.gray.width(), 2480);
        // The page limit caps the upscaling.
        let capped = page(1240, 1754, Some(150.0)).prepared(4_000_000);
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
