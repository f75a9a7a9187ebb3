//! Page images from image files: TIFF (multi-page; CCITT G4, LZW, Deflate, PackBits, JPEG —
//! the `tiff` crate, pure Rust), PNG and JPEG (the `image` crate). Pages come one at a time, and
//! each page's size is checked from its header before its pixels are decoded.

use std::io::Cursor;

use image::{GrayImage, ImageDecoder, ImageReader};
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult, Limits as TiffLimits};
use tiff::tags::Tag;
use tiff::ColorType;

use super::page::{check_size, gray_of_cmyk, gray_of_rgb, PageError, PageImage};
use crate::extract::FileFormat;

/// The pages of one image file, decoded one at a time.
pub enum ImagePages<'a> {
    /// A TIFF, positioned at its next page.
    Tiff {
        /// The decoder; `None` once the pages are done.
        decoder: Option<Box<TiffDecoder<Cursor<&'a [u8]>>>>,
        /// The page limit in pixels.
        max_pixels: u64,
    },
    /// A PNG or JPEG: one page, not yet read.
    Single {
        /// The bytes, taken on the first call.
        bytes: Option<&'a [u8]>,
        /// The page limit in pixels.
        max_pixels: u64,
    },
    /// A file whose first page cannot even be found: one failed page.
    Unreadable(Option<PageError>),
}

impl<'a> ImagePages<'a> {
    /// The pages of an image file of `format` (TIFF, PNG or JPEG).
    pub fn new(format: FileFormat, bytes: &'a [u8], max_pixels: u64) -> ImagePages<'a> {
        match format {
            FileFormat::Tiff => {
                let limits = {
                    let mut l = TiffLimits::default();
                    // One decoded page at 16 bits per sample, 4 samples, at the page limit.
                    l.decoding_buffer_size =
                        usize::try_from(max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
                    l.intermediate_buffer_size = l.decoding_buffer_size;
                    l
                };
                match TiffDecoder::new(Cursor::new(bytes)) {
                    Ok(d) => ImagePages::Tiff {
                        decoder: Some(Box::new(d.with_limits(limits))),
                        max_pixels,
                    },
                    Err(e) => ImagePages::Unreadable(Some(PageError::Undecodable(e.to_string()))),
                }
            }
            _ => ImagePages::Single {
                bytes: Some(bytes),
                max_pixels,
            },
        }
    }

    /// Pages not yet read (walks the rest of a TIFF's directories without decoding pixels), to
    /// say how many pages a capped document had.
    pub fn remaining(self) -> usize {
        match self {
            ImagePages::Tiff {
                decoder: Some(mut d),
                ..
            } => {
                let mut n = 1;
                while d.more_images() && d.next_image().is_ok() {
                    n += 1;
                }
                n
            }
            ImagePages::Tiff { decoder: None, .. } => 0,
            ImagePages::Single { bytes, .. } => usize::from(bytes.is_some()),
            ImagePages::Unreadable(failure) => usize::from(failure.is_some()),
        }
    }
}

impl Iterator for ImagePages<'_> {
    type Item = Result<PageImage, PageError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ImagePages::Single { bytes, max_pixels } => {
                bytes.take().map(|b| single_image(b, *max_pixels))
            }
            ImagePages::Unreadable(failure) => failure.take().map(Err),
            ImagePages::Tiff {
                decoder,
                max_pixels,
            } => {
                let d = decoder.as_mut()?;
                let page = tiff_page(d, *max_pixels);
                // Move on to the next page now; a broken chain ends the pages here.
                if !(d.more_images() && d.next_image().is_ok()) {
                    *decoder = None;
                }
                Some(page)
            }
        }
    }
}

fn tiff_page(d: &mut TiffDecoder<Cursor<&[u8]>>, max_pixels: u64) -> Result<PageImage, PageError> {
    let undecodable = |e: tiff::TiffError| PageError::Undecodable(e.to_string());
    let (w, h) = d.dimensions().map_err(undecodable)?;
    check_size(u64::from(w), u64::from(h), max_pixels)?;
    let color = d.colortype().map_err(undecodable)?;
    let dpi = tiff_dpi(d);
    let data = d.read_image().map_err(undecodable)?;
    let gray = to_gray(data, color, w, h)?;
    Ok(PageImage { gray, dpi })
}

fn tiff_dpi(d: &mut TiffDecoder<Cursor<&[u8]>>) -> Option<f32> {
    let x = d.find_tag(Tag::XResolution).ok()??.into_f64().ok()?;
    let per_cm = d.find_tag_unsigned::<u16>(Tag::ResolutionUnit).ok()? == Some(3);
    let dpi = if per_cm { x * 2.54 } else { x };
    (dpi.is_finite() && dpi > 0.0).then_some(dpi as f32)
}

/// A TIFF page's samples as 8-bit grey (the decoder has already turned WhiteIsZero around).
fn to_gray(data: DecodingResult, color: ColorType, w: u32, h: u32) -> Result<GrayImage, PageError> {
    let (wu, hu) = (w as usize, h as usize);
    let pixels: Vec<u8> = match (color, data) {
        (ColorType::Gray(1), DecodingResult::U8(bits)) => {
            let stride = wu.div_ceil(8);
            let mut out = Vec::with_capacity(wu * hu);
            for row in bits.chunks(stride).take(hu) {
                out.extend((0..wu).map(|x| {
                    let bit = row.get(x / 8).map_or(1, |b| (b >> (7 - x % 8)) & 1);
                    if bit == 1 {
                        255
                    } else {
                        0
                    }
                }));
            }
            out
        }
        (ColorType::Gray(8), DecodingResult::U8(v)) => v,
        (ColorType::Gray(16), DecodingResult::U16(v)) => v.iter().map(|s| (s >> 8) as u8).collect(),
        (ColorType::RGB(8), DecodingResult::U8(v)) => {
            v.chunks(3).map(|s| gray_of_rgb(s[0], s[1], s[2])).collect()
        }
        (ColorType::RGBA(8), DecodingResult::U8(v)) => {
            v.chunks(4).map(|s| gray_of_rgb(s[0], s[1], s[2])).collect()
        }
        (
            ColorType::Multiband {
                bit_depth: 8,
                num_samples,
            },
            DecodingResult::U8(v),
        ) => v
            .chunks(usize::from(num_samples.max(1)))
            .map(|s| s[0])
            .collect(),
        (ColorType::CMYK(8), DecodingResult::U8(v)) => v
            .chunks(4)
            .map(|s| gray_of_cmyk(s[0], s[1], s[2], s[3]))
            .collect(),
        (other, _) => {
            return Err(PageError::Undecodable(format!(
                "TIFF pixels of type {other:?} are not read"
            )))
        }
    };
    if pixels.len() < wu * hu {
        return Err(PageError::Undecodable(
            "the TIFF page is short of pixels".into(),
        ));
    }
    let mut pixels = pixels;
    pixels.truncate(wu * hu);
    GrayImage::from_raw(w, h, pixels)
        .ok_or_else(|| PageError::Undecodable("the TIFF page's size does not match".into()))
}

/// One PNG or JPEG page: its header read first, refused over the limit, then decoded to grey.
fn single_image(bytes: &[u8], max_pixels: u64) -> Result<PageImage, PageError> {
    let undecodable = |e: image::ImageError| PageError::Undecodable(e.to_string());
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PageError::Undecodable(e.to_string()))?;
    let decoder = reader.into_decoder().map_err(undecodable)?;
    let (w, h) = decoder.dimensions();
    check_size(u64::from(w), u64::from(h), max_pixels)?;
    let image = image::DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    Ok(PageImage {
        gray: image.into_luma8(),
        dpi: density(bytes),
    })
}

/// Dots per inch from a PNG's pHYs chunk or a JPEG's JFIF header, when set in real units.
pub fn density(bytes: &[u8]) -> Option<f32> {
    if let Some(rest) = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n") {
        let mut at = rest;
        while at.len() >= 12 {
            let len = u32::from_be_bytes([at[0], at[1], at[2], at[3]]) as usize;
            let kind = &at[4..8];
            let body = at.get(8..8 + len)?;
            if kind == b"pHYs" && len >= 9 && body[8] == 1 {
                let ppm = u32::from_be_bytes([body[0], body[1], body[2], body[3]]);
                return Some(ppm as f32 * 0.0254);
            }
            if kind == b"IDAT" {
                return None;
            }
            at = at.get(12 + len..)?;
        }
        return None;
    }
    // JPEG: SOI, then APP0 "JFIF\0" with units (1 = dpi, 2 = dots per cm) and X density.
    let app0 = bytes.get(2..20)?;
    if app0[0..2] == [0xFF, 0xE0] && &app0[4..9] == b"JFIF\0" {
        let x = f32::from(u16::from_be_bytes([app0[12], app0[13]]));
        return match app0[11] {
            1 if x > 0.0 => Some(x),
            2 if x > 0.0 => Some(x * 2.54),
            _ => None,
        };
    }
    None
}
