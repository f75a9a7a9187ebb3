//! Synthetic *scanned* documents: known text rendered onto A4 page images, degraded the way
//! office scanners and fax machines degrade it, and written in the file encodings a kommune's
//! scans come in (PNG, JPEG, multi-page TIFF with LZW, Deflate or CCITT G4, image-only and
//! mixed PDFs).
//!
//! Because the text is known, these pages let OCR be tested, and its character error rate
//! measured, without real scans. Everything is deterministic: the same text, settings and seed
//! give the same pixels and the same bytes.
//!
//! ```
//! use arkivar::synth::scanned::{degrade, render_pages, tiff, Degradation, TiffCompression};
//!
//! let pages = render_pages("Vedtak i byggesak\n\nSøknaden om dispensasjon er innvilget.", 100);
//! let fax = degrade(&pages[0], Degradation::Fax, 7);
//! assert_eq!(fax.dpi, 200);
//! let bytes = tiff(&[fax], TiffCompression::Group4);
//! assert!(bytes.starts_with(b"II*\0"));
//! ```

use std::io::Cursor;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, PxScaleFont, ScaleFont};
use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use image::GrayImage;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};

use crate::synth::pdf::{write_pdf, FontFlavor, Line, PdfSpec};
use crate::synth::rng::Rng;
pub use crate::synth::ScanQuality;

/// A grey page image (0 = black, 255 = white) at a known resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedPage {
    /// The pixels, one byte each, 0 black and 255 white.
    pub image: GrayImage,
    /// Dots per inch, the same horizontally and vertically.
    pub dpi: u32,
}

/// How a synthetic scan is degraded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Degradation {
    /// A clean 300-dpi scan.
    Clean,
    /// An office scanner on a bad day: `dpi` (150–200), `skew_degrees` (1–2, either sign),
    /// speckle noise (fraction of pixels flipped to dark/light, ~0.002–0.004), and the page
    /// saved as a JPEG of `jpeg_quality` (e.g. 35–60) and decoded again.
    Degraded {
        /// The resolution the page is resampled to.
        dpi: u32,
        /// The rotation of the page; positive turns it clockwise as seen on screen.
        skew_degrees: f32,
        /// The fraction of pixels replaced by a dark or a white speck.
        speckle: f32,
        /// The quality (1–100) of the JPEG the page goes through.
        jpeg_quality: u8,
    },
    /// A fax: 204 × 196 dpi bi-level (thresholded) fine mode, rendered here at 200 dpi both
    /// ways.
    Fax,
}

impl Degradation {
    /// A deterministic [`Degradation::Degraded`] drawn from `seed`: 150–200 dpi, a skew of 1–2
    /// degrees either way, 0.2–0.4 % speckle and JPEG quality 35–60.
    pub fn degraded(seed: u64) -> Degradation {
        // A stream of its own, so that the same seed given to `degrade` draws other numbers.
        let mut rng = Rng::new(seed ^ 0x5343_414E_4445_4752);
        let dpi = rng.range(150, 200);
        let magnitude = 1.0 + rng.unit_f64() as f32;
        let skew_degrees = if rng.chance(0.5) {
            -magnitude
        } else {
            magnitude
        };
        let speckle = 0.002 + 0.002 * rng.unit_f64() as f32;
        let jpeg_quality = u8::try_from(rng.range(35, 60)).unwrap_or(60);
        Degradation::Degraded {
            dpi,
            skew_degrees,
            speckle,
            jpeg_quality,
        }
    }
}

/// A4 in millimetres.
const A4_WIDTH_MM: f32 = 210.0;
const A4_HEIGHT_MM: f32 = 297.0;
const MARGIN_MM: f32 = 25.0;
const FONT_SIZE_PT: f32 = 11.0;
/// Baseline-to-baseline distance as a multiple of the font size.
const LINE_SPACING: f32 = 1.35;
/// The resolution of a clean scan.
const CLEAN_DPI: u32 = 300;
/// Fine-mode fax, rounded to one resolution both ways.
const FAX_DPI: u32 = 200;
/// Grey levels below this become black in a fax.
const FAX_THRESHOLD: u8 = 160;
/// Grey levels below this become black in bi-level files (G4 TIFF, CCITT PDF).
const BILEVEL_THRESHOLD: u8 = 128;
/// Characters the font lacks are drawn as this.
const REPLACEMENT: char = '?';

fn mm_to_px(mm: f32, dpi: u32) -> f32 {
    mm / 25.4 * dpi as f32
}

/// DejaVu Sans at the page's pixel scale.
type Scaled = PxScaleFont<FontRef<'static>>;

/// The embedded DejaVu Sans.
fn font() -> FontRef<'static> {
    FontRef::try_from_slice(dejavu::sans::regular())
        .expect("the DejaVu Sans embedded in the dejavu crate is a valid TrueType font")
}

/// The glyph drawn for `ch`: whitespace as a space, characters the font lacks as `?`.
fn glyph_for(font: &FontRef<'_>, ch: char) -> GlyphId {
    let ch = if ch.is_whitespace() { ' ' } else { ch };
    let id = font.glyph_id(ch);
    if id.0 == 0 {
        font.glyph_id(REPLACEMENT)
    } else {
        id
    }
}

/// Width of glyphs set one after the other: advances plus kerning.
fn run_width(font: &Scaled, glyphs: &[GlyphId]) -> f32 {
    let advances: f32 = glyphs.iter().map(|&g| font.h_advance(g)).sum();
    let kerning: f32 = glyphs.windows(2).map(|w| font.kern(w[0], w[1])).sum();
    advances + kerning
}

/// Wraps `text` into visual lines no wider than `width` (an empty line is a blank line).
fn wrap(font: &Scaled, text: &str, width: f32) -> Vec<Vec<GlyphId>> {
    let space = glyph_for(font.font(), ' ');
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let words: Vec<Vec<GlyphId>> = paragraph
            .split_whitespace()
            .map(|word| word.chars().map(|ch| glyph_for(font.font(), ch)).collect())
            .collect();
        if words.is_empty() {
            lines.push(Vec::new());
            continue;
        }
        let mut line: Vec<GlyphId> = Vec::new();
        for word in words {
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(space);
            }
            candidate.extend_from_slice(&word);
            if run_width(font, &candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if run_width(font, &word) <= width {
                line = word;
                continue;
            }
            // A word longer than the line: break it where it fills the line (at least one
            // character per line).
            for glyph in word {
                line.push(glyph);
                if line.len() > 1 && run_width(font, &line) > width {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![glyph]));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Renders text onto A4 pages (210 × 297 mm) at `dpi`: DejaVu Sans 11 pt, 25 mm margins, 1.35
/// line spacing, words wrapped to the line width (measured with the font's advances and
/// kerning), blank lines kept as paragraph breaks, a new page when the page is full.
/// Anti-aliased glyph coverage (ab_glyph outline_glyph + draw).
///
/// Every character of the text renders (æ, ø, å, Æ, Ø, Å, §, «», –, é included); a character
/// the font lacks becomes '?', whitespace (tabs included) a space. Blank lines at the top of a
/// page are dropped. Always at least one page (a blank one for empty text); a `dpi` of 0 is
/// taken as 1.
pub fn render_pages(text: &str, dpi: u32) -> Vec<ScannedPage> {
    let dpi = dpi.max(1);
    let font = font();
    let em = FONT_SIZE_PT * dpi as f32 / 72.0;
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em * font.height_unscaled() / units_per_em);
    let scaled = font.into_scaled(scale);

    let width = mm_to_px(A4_WIDTH_MM, dpi).round().max(1.0) as u32;
    let height = mm_to_px(A4_HEIGHT_MM, dpi).round().max(1.0) as u32;
    let margin = mm_to_px(MARGIN_MM, dpi);
    let line_height = LINE_SPACING * em;
    let (ascent, descent) = (scaled.ascent(), scaled.descent());
    // Lines whose glyphs (ascent above, descent below the baseline) stay inside the margins.
    let text_height = height as f32 - 2.0 * margin - ascent + descent;
    let lines_per_page = ((text_height / line_height).floor().max(0.0) as usize + 1).max(1);

    let mut pages: Vec<Vec<Vec<GlyphId>>> = vec![Vec::new()];
    for line in wrap(&scaled, text, width as f32 - 2.0 * margin) {
        let full = pages
            .last()
            .is_some_and(|page| page.len() >= lines_per_page);
        if full {
            pages.push(Vec::new());
        }
        let page = pages.last_mut().expect("pages starts with one page");
        if line.is_empty() && page.is_empty() {
            continue;
        }
        page.push(line);
    }

    pages
        .into_iter()
        .map(|lines| {
            let mut image = GrayImage::from_pixel(width, height, image::Luma([255]));
            for (index, line) in lines.iter().enumerate() {
                let baseline = margin + ascent + index as f32 * line_height;
                draw_line(&scaled, &mut image, line, margin, baseline);
            }
            ScannedPage { image, dpi }
        })
        .collect()
}

/// Draws one line of glyphs starting at `x` on `baseline`, darkening by coverage.
fn draw_line(font: &Scaled, image: &mut GrayImage, glyphs: &[GlyphId], mut x: f32, baseline: f32) {
    let (width, height) = image.dimensions();
    let mut previous: Option<GlyphId> = None;
    for &id in glyphs {
        if let Some(previous) = previous {
            x += font.kern(previous, id);
        }
        let glyph = id.with_scale_and_position(font.scale(), point(x, baseline));
        if let Some(outlined) = font.outline_glyph(glyph) {
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= i64::from(width) || py >= i64::from(height) {
                    return;
                }
                let pixel = image.get_pixel_mut(px as u32, py as u32);
                let ink = coverage.clamp(0.0, 1.0);
                pixel.0[0] = (f32::from(pixel.0[0]) * (1.0 - ink)).round() as u8;
            });
        }
        x += font.h_advance(id);
        previous = Some(id);
    }
}

/// Applies a degradation to a clean page rendered at 300 dpi: resample to the target dpi
/// (area-average), rotate by the skew (bilinear, white fill), speckle, JPEG round trip; `Fax`:
/// resample to 200 dpi and threshold at 160 to pure 0/255; `Clean`: resample to 300 dpi (a
/// copy when the page already is).
///
/// Deterministic for a given seed (which drives the speckle).
pub fn degrade(page: &ScannedPage, how: Degradation, seed: u64) -> ScannedPage {
    match how {
        Degradation::Clean => resample(page, CLEAN_DPI),
        Degradation::Degraded {
            dpi,
            skew_degrees,
            speckle,
            jpeg_quality,
        } => {
            let mut rng = Rng::new(seed);
            let mut page = resample(page, dpi);
            page.image = rotate(&page.image, skew_degrees);
            add_speckle(&mut page.image, speckle, &mut rng);
            let bytes = jpeg(&page, jpeg_quality);
            page.image = image::load_from_memory(&bytes)
                .expect("a JPEG this module has just encoded decodes again")
                .to_luma8();
            page
        }
        Degradation::Fax => {
            let mut page = resample(page, FAX_DPI);
            for pixel in page.image.pixels_mut() {
                pixel.0[0] = if pixel.0[0] < FAX_THRESHOLD { 0 } else { 255 };
            }
            page
        }
    }
}

/// For each target index along an axis of `src` pixels resampled to `dst`: the first source
/// index and the weights (summing to 1) of the source pixels the target pixel covers.
fn area_weights(src: usize, dst: usize) -> Vec<(usize, Vec<f32>)> {
    let step = src as f64 / dst as f64;
    (0..dst)
        .map(|t| {
            let (a, b) = (t as f64 * step, ((t + 1) as f64 * step).min(src as f64));
            let first = (a.floor() as usize).min(src - 1);
            let last = (b.ceil() as usize).clamp(first + 1, src);
            let weights = (first..last)
                .map(|i| {
                    let overlap = b.min(i as f64 + 1.0) - a.max(i as f64);
                    (overlap.max(0.0) / (b - a)) as f32
                })
                .collect();
            (first, weights)
        })
        .collect()
}

/// Resamples a page to `dpi` by area averaging (each target pixel the mean of the source area
/// it covers).
fn resample(page: &ScannedPage, dpi: u32) -> ScannedPage {
    let (src_dpi, dpi) = (page.dpi.max(1), dpi.max(1));
    if src_dpi == dpi || page.image.width() == 0 || page.image.height() == 0 {
        return ScannedPage {
            image: page.image.clone(),
            dpi,
        };
    }
    let (w, h) = (page.image.width() as usize, page.image.height() as usize);
    let scale =
        |n: usize| ((n as f64 * f64::from(dpi) / f64::from(src_dpi)).round() as usize).max(1);
    let (dw, dh) = (scale(w), scale(h));
    let columns = area_weights(w, dw);
    let rows = area_weights(h, dh);

    let src = page.image.as_raw();
    let mut horizontal = vec![0f32; dw * h];
    for (src_row, out_row) in src.chunks_exact(w).zip(horizontal.chunks_exact_mut(dw)) {
        for (out, (first, weights)) in out_row.iter_mut().zip(&columns) {
            *out = src_row[*first..]
                .iter()
                .zip(weights)
                .map(|(&v, &wt)| f32::from(v) * wt)
                .sum();
        }
    }
    let mut out = vec![0u8; dw * dh];
    let mut accumulator = vec![0f32; dw];
    for (out_row, (first, weights)) in out.chunks_exact_mut(dw).zip(&rows) {
        accumulator.iter_mut().for_each(|v| *v = 0.0);
        for (offset, &wt) in weights.iter().enumerate() {
            let row = &horizontal[(first + offset) * dw..(first + offset + 1) * dw];
            for (acc, &v) in accumulator.iter_mut().zip(row) {
                *acc += v * wt;
            }
        }
        for (o, &v) in out_row.iter_mut().zip(&accumulator) {
            *o = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    let image = GrayImage::from_raw(dw as u32, dh as u32, out)
        .expect("the buffer holds exactly width × height pixels");
    ScannedPage { image, dpi }
}

/// Rotates an image about its centre by `degrees` clockwise on screen (white comes in at the
/// edges): the turn that OCR's deskew undoes, so the same bilinear turn serves both.
fn rotate(image: &GrayImage, degrees: f32) -> GrayImage {
    if degrees == 0.0 {
        return image.clone();
    }
    crate::extract::ocr::deskew::rotate(image, -degrees)
}

/// Replaces the fraction `amount` of the pixels with a dark (0–60) or a white speck, half each.
fn add_speckle(image: &mut GrayImage, amount: f32, rng: &mut Rng) {
    let amount = f64::from(amount);
    if amount <= 0.0 {
        return;
    }
    for pixel in image.pixels_mut() {
        if rng.chance(amount) {
            pixel.0[0] = if rng.chance(0.5) {
                rng.range(0, 60) as u8
            } else {
                255
            };
        }
    }
}

/// Panics with a clear message on a page no encoder can write.
fn assert_not_empty(page: &ScannedPage) {
    assert!(
        page.image.width() > 0 && page.image.height() > 0,
        "a scanned page needs at least one pixel, got {}×{}",
        page.image.width(),
        page.image.height()
    );
}

/// An 8-bit grey PNG of the page, with a `pHYs` chunk giving its resolution.
///
/// # Panics
///
/// If the page has no pixels.
pub fn png(page: &ScannedPage) -> Vec<u8> {
    assert_not_empty(page);
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, page.image.width(), page.image.height());
    encoder.set_color(::png::ColorType::Grayscale);
    encoder.set_depth(::png::BitDepth::Eight);
    let per_metre = (f64::from(page.dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(::png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: ::png::Unit::Meter,
    }));
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(page.image.as_raw()))
        .expect("a non-empty grey image encodes as PNG into memory");
    out
}

/// A grey JPEG of the page at `quality` (clamped to 1–100), its JFIF density set to the page's
/// dpi.
///
/// # Panics
///
/// If the page has no pixels.
pub fn jpeg(page: &ScannedPage, quality: u8) -> Vec<u8> {
    assert_not_empty(page);
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
    encoder.set_pixel_density(PixelDensity::dpi(
        u16::try_from(page.dpi.max(1)).unwrap_or(u16::MAX),
    ));
    encoder
        .encode_image(&page.image)
        .expect("a non-empty grey image encodes as JPEG into memory");
    out
}

/// How the pages of a [`tiff`] are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TiffCompression {
    /// 8-bit grey, LZW.
    Lzw,
    /// 8-bit grey, Deflate (Adobe).
    Deflate,
    /// Bi-level (thresholded at 128), CCITT Group 4.
    Group4,
}

/// A multi-page TIFF: `Lzw`/`Deflate` write 8-bit grey pages with the tiff crate's encoder
/// (XResolution/YResolution/ResolutionUnit = inch set); `Group4` thresholds each page at 128 to
/// 1 bit (WhiteIsZero) and encodes it with fax's G4 encoder, the pages chained in one
/// little-endian TIFF, each with its own dpi. An empty slice gives a TIFF header without any
/// image.
///
/// # Panics
///
/// If a page has no pixels, or (`Group4`) is wider or higher than 65 535 pixels.
pub fn tiff(pages: &[ScannedPage], compression: TiffCompression) -> Vec<u8> {
    use ::tiff::encoder::{colortype, Compression, DeflateLevel, Rational, TiffEncoder};
    use ::tiff::tags::ResolutionUnit;

    pages.iter().for_each(assert_not_empty);
    let compression = match compression {
        TiffCompression::Lzw => Compression::Lzw,
        TiffCompression::Deflate => Compression::Deflate(DeflateLevel::Balanced),
        TiffCompression::Group4 => return group4_tiff(pages),
    };
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut encoder = TiffEncoder::new(&mut cursor)
            .expect("writing a TIFF header into memory cannot fail")
            .with_compression(compression);
        for page in pages {
            let mut image = encoder
                .new_image::<colortype::Gray8>(page.image.width(), page.image.height())
                .expect("a non-empty page starts a TIFF image");
            image.resolution(
                ResolutionUnit::Inch,
                Rational {
                    n: page.dpi.max(1),
                    d: 1,
                },
            );
            image
                .write_data(page.image.as_raw())
                .expect("a page's own pixels fill its TIFF image exactly, in memory");
        }
    }
    cursor.into_inner()
}

/// The page thresholded at 128 and encoded as CCITT Group 4 (white = the fax white), ending
/// with EOFB.
fn group4(image: &GrayImage) -> Vec<u8> {
    let width = u16::try_from(image.width()).expect("G4 pages are at most 65 535 pixels wide");
    u16::try_from(image.height()).expect("G4 pages are at most 65 535 pixels high");
    let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
    for row in image.as_raw().chunks_exact(usize::from(width)) {
        let pels = row.iter().map(|&v| {
            if v < BILEVEL_THRESHOLD {
                fax::Color::Black
            } else {
                fax::Color::White
            }
        });
        let Ok(()) = encoder.encode_line(pels, width);
    }
    let Ok(writer) = encoder.finish();
    writer.finish()
}

/// A TIFF field value as fax::tiff::wrap lays them out.
#[derive(Clone, Copy)]
enum Field {
    Short(u16),
    Long(u32),
    /// An offset to the page's resolution (a rational) after the IFD.
    Resolution,
    /// The offset of the page's G4 data.
    DataOffset,
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).expect("a classic TIFF is under 4 GiB; G4 pages take kilobytes each")
}

/// Several G4 pages in one TIFF: for each page its IFD (tags in fax::tiff::wrap's layout plus
/// BitsPerSample and SamplesPerPixel), its two resolution rationals, then its data; each IFD's
/// next pointer leads to the next page's IFD.
fn group4_tiff(pages: &[ScannedPage]) -> Vec<u8> {
    let mut out = vec![b'I', b'I', 42, 0, 0, 0, 0, 0];
    // Where the pointer to the next IFD goes: the header's first, then each IFD's last.
    let mut next_pointer_at = 4;
    for page in pages {
        let data = group4(&page.image);
        let (width, height) = page.image.dimensions();
        let fields = [
            (256u16, Field::Long(width)),           // ImageWidth
            (257, Field::Long(height)),             // ImageLength
            (258, Field::Short(1)),                 // BitsPerSample
            (259, Field::Short(4)),                 // Compression: CCITT T.6
            (262, Field::Short(0)),                 // PhotometricInterpretation: WhiteIsZero
            (273, Field::DataOffset),               // StripOffsets
            (274, Field::Short(1)),                 // Orientation: top left
            (277, Field::Short(1)),                 // SamplesPerPixel
            (278, Field::Long(height)),             // RowsPerStrip
            (279, Field::Long(to_u32(data.len()))), // StripByteCounts
            (282, Field::Resolution),               // XResolution
            (283, Field::Resolution),               // YResolution
            (296, Field::Short(2)),                 // ResolutionUnit: inch
        ];
        if out.len() % 2 == 1 {
            out.push(0); // IFDs start on a word boundary
        }
        let ifd = out.len();
        out[next_pointer_at..next_pointer_at + 4].copy_from_slice(&to_u32(ifd).to_le_bytes());
        let ifd_len = 2 + 12 * fields.len() + 4;
        let rational = ifd + ifd_len;
        let data_offset = rational + 8;

        out.extend_from_slice(&(fields.len() as u16).to_le_bytes());
        for (tag, field) in fields {
            let (kind, value): (u16, u32) = match field {
                Field::Short(n) => (3, u32::from(n)),
                Field::Long(n) => (4, n),
                Field::Resolution => (5, to_u32(rational)),
                Field::DataOffset => (4, to_u32(data_offset)),
            };
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            // A Short sits left-justified in the 4-byte field: little-endian, that is the
            // same bytes as the u32.
            out.extend_from_slice(&value.to_le_bytes());
        }
        next_pointer_at = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
        // X and Y resolution share the one rational.
        out.extend_from_slice(&page.dpi.max(1).to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        debug_assert_eq!(out.len(), data_offset);
        out.extend_from_slice(&data);
    }
    out
}

/// How the page images of an [`image_pdf`] are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfImage {
    /// `/DCTDecode`: a grey JPEG of this quality (1–100).
    Dct(u8),
    /// `/CCITTFaxDecode`: 1 bit (thresholded at 128), Group 4.
    Ccitt,
    /// `/FlateDecode`: the 8-bit grey samples, deflated.
    Flate,
}

/// An image-only PDF (what a scanner writes), one page per image, MediaBox sized from the image
/// size and dpi, the image drawn full-page with `q W 0 0 H 0 0 cm /Im0 Do Q`. `Dct(quality)`:
/// /DCTDecode JPEG of the grey image (ColorSpace DeviceGray, BitsPerComponent 8); `Ccitt`:
/// 1-bit thresholded at 128, /CCITTFaxDecode with DecodeParms << /K -1 /Columns W /Rows H
/// /BlackIs1 false >> (G4 from fax's encoder); `Flate`: 8-bit DeviceGray raw samples,
/// /FlateDecode (lopdf's `Stream::compress`).
///
/// # Panics
///
/// If a page has no pixels, or (`Ccitt`) is wider or higher than 65 535 pixels.
pub fn image_pdf(pages: &[ScannedPage], encoding: PdfImage) -> Vec<u8> {
    pages.iter().for_each(assert_not_empty);
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = pages
        .iter()
        .map(|page| add_image_page(&mut doc, pages_id, page, encoding).into())
        .collect();
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Skannet dokument"),
        "Producer" => Object::string_literal("arkivar synth"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    save(&mut doc)
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .expect("writing a PDF into memory cannot fail");
    bytes
}

/// The image XObject of a page.
fn image_xobject(page: &ScannedPage, encoding: PdfImage) -> Stream {
    let (width, height) = page.image.dimensions();
    let mut dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => i64::from(width),
        "Height" => i64::from(height),
        "ColorSpace" => "DeviceGray",
    };
    match encoding {
        PdfImage::Dct(quality) => {
            dict.set("BitsPerComponent", 8);
            dict.set("Filter", "DCTDecode");
            Stream::new(dict, jpeg(page, quality))
        }
        PdfImage::Ccitt => {
            dict.set("BitsPerComponent", 1);
            dict.set("Filter", "CCITTFaxDecode");
            dict.set(
                "DecodeParms",
                dictionary! {
                    "K" => -1,
                    "Columns" => i64::from(width),
                    "Rows" => i64::from(height),
                    "BlackIs1" => false,
                },
            );
            Stream::new(dict, group4(&page.image))
        }
        PdfImage::Flate => {
            dict.set("BitsPerComponent", 8);
            let mut stream = Stream::new(dict, page.image.as_raw().clone());
            // Only fails when deflating fails, which leaves the samples uncompressed (still a
            // valid image); a page of print always deflates smaller.
            let _ = stream.compress();
            stream
        }
    }
}

/// Adds a page showing `page` full size under `parent`; returns the page's id.
fn add_image_page(
    doc: &mut Document,
    parent: ObjectId,
    page: &ScannedPage,
    encoding: PdfImage,
) -> ObjectId {
    let dpi = page.dpi.max(1) as f32;
    let width = page.image.width() as f32 * 72.0 / dpi;
    let height = page.image.height() as f32 * 72.0 / dpi;
    let image = doc.add_object(image_xobject(page, encoding));
    let content = Content {
        operations: vec![
            Operation::new("q", vec![]),
            Operation::new(
                "cm",
                vec![
                    width.into(),
                    0.into(),
                    0.into(),
                    height.into(),
                    0.into(),
                    0.into(),
                ],
            ),
            Operation::new("Do", vec![Object::Name(b"Im0".to_vec())]),
            Operation::new("Q", vec![]),
        ],
    };
    let content = content
        .encode()
        .expect("content of numbers and names always encodes");
    let content = doc.add_object(Stream::new(Dictionary::new(), content));
    doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => parent,
        "MediaBox" => vec![0.into(), 0.into(), width.into(), height.into()],
        "Contents" => content,
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
    })
}

/// A PDF whose first page has a real text layer (written by [`write_pdf`]: WinAnsi Helvetica,
/// one input line per paragraph, more text pages if the lines overflow one) and whose
/// remaining pages are the scanned images (`/DCTDecode`, quality 75): a "mixed" PDF.
///
/// # Panics
///
/// If a scanned page has no pixels.
pub fn mixed_pdf(text_page_lines: &[String], scanned: &[ScannedPage]) -> Vec<u8> {
    scanned.iter().for_each(assert_not_empty);
    let spec = PdfSpec {
        title: "Skannet dokument med tekstside".into(),
        pages: vec![text_page_lines.iter().map(|l| Line::plain(l)).collect()],
        flavor: FontFlavor::WinAnsiHelvetica,
        word_gaps_by_positioning: false,
        use_form_xobject: false,
    };
    let mut doc =
        Document::load_mem(&write_pdf(&spec)).expect("lopdf reads the PDF write_pdf wrote");
    let pages_id = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("write_pdf's catalog has a /Pages reference");
    let new_kids: Vec<Object> = scanned
        .iter()
        .map(|page| add_image_page(&mut doc, pages_id, page, PdfImage::Dct(75)).into())
        .collect();
    let pages = doc
        .get_dictionary_mut(pages_id)
        .expect("write_pdf's /Pages is a dictionary");
    let kids = pages
        .get_mut(b"Kids")
        .and_then(Object::as_array_mut)
        .expect("write_pdf's /Pages has a /Kids array");
    kids.extend(new_kids);
    let count = kids.len() as i64;
    pages.set("Count", count);
    doc.compress();
    save(&mut doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    use ::tiff::decoder::{Decoder, DecodingResult};
    use ::tiff::tags::Tag;

    const LONG_PARAGRAPH: &str = "Kommunestyret behandlet søknaden om dispensasjon fra \
        reguleringsplanen for Årnes sentrum, jf. plan- og bygningsloven § 19-2. Tiltakshaver \
        ønsker å oppføre en tomannsbolig med garasje «som omsøkt» – naboene er varslet.";

    fn long_text() -> String {
        let mut text = String::new();
        for n in 0..40 {
            text.push_str(&format!("{n}. {LONG_PARAGRAPH}\n\n"));
        }
        text
    }

    /// The one 300-dpi clean page the tests share.
    fn clean_page() -> &'static ScannedPage {
        static PAGE: OnceLock<ScannedPage> = OnceLock::new();
        PAGE.get_or_init(|| {
            render_pages(&format!("Vedtak\n\n{LONG_PARAGRAPH}"), 300)
                .into_iter()
                .next()
                .expect("at least one page")
        })
    }

    fn small_pages() -> Vec<ScannedPage> {
        let pages = render_pages(&long_text(), 100);
        pages.into_iter().take(2).collect()
    }

    fn dark_pixels(image: &GrayImage) -> usize {
        image.pixels().filter(|p| p.0[0] < 128).count()
    }

    #[test]
    fn long_text_takes_several_a4_pages() {
        let pages = render_pages(&long_text(), 100);
        assert!(pages.len() > 1, "{} pages", pages.len());
        for page in &pages {
            assert_eq!(page.image.dimensions(), (827, 1169));
            assert_eq!(page.dpi, 100);
        }
        assert_eq!(clean_page().image.dimensions(), (2480, 3508));
        assert_eq!(render_pages("", 100).len(), 1);
    }

    #[test]
    fn ink_stays_inside_the_margins() {
        for page in render_pages(&long_text(), 100) {
            let margin = mm_to_px(MARGIN_MM, 100);
            let (w, h) = page.image.dimensions();
            let (lo, hi_x, hi_y) = (
                margin - 2.0,
                w as f32 - margin + 2.0,
                h as f32 - margin + 2.0,
            );
            let mut dark = 0;
            for (x, y, p) in page.image.enumerate_pixels() {
                if p.0[0] < 200 {
                    dark += 1;
                    let (x, y) = (x as f32, y as f32);
                    assert!(x >= lo && x < hi_x && y >= lo && y < hi_y, "ink at {x},{y}");
                }
            }
            assert!(dark > 1000, "{dark} dark pixels");
        }
    }

    #[test]
    fn norwegian_letters_render_and_missing_ones_become_question_marks() {
        let question = render_pages("?", 100).remove(0).image;
        assert!(dark_pixels(&question) > 0);
        for ch in ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å', '§', '«', '»', '–', 'é'] {
            let image = render_pages(&ch.to_string(), 100).remove(0).image;
            assert!(dark_pixels(&image) > 0, "{ch} left no ink");
            assert_ne!(image, question, "{ch} drawn as ?");
        }
        // DejaVu Sans has no CJK.
        assert_eq!(render_pages("中", 100).remove(0).image, question);
    }

    #[test]
    fn degraded_scans_have_the_target_size_and_repeat_for_a_seed() {
        let page = clean_page();
        let how = Degradation::Degraded {
            dpi: 150,
            skew_degrees: -1.5,
            speckle: 0.003,
            jpeg_quality: 45,
        };
        let degraded = degrade(page, how, 1);
        assert_eq!(degraded.dpi, 150);
        let (w, h) = degraded.image.dimensions();
        assert!(w.abs_diff(1240) <= 1 && h.abs_diff(1754) <= 1, "{w}×{h}");
        assert!(dark_pixels(&degraded.image) > 1000);
        assert_eq!(degrade(page, how, 1), degraded);
        assert_ne!(degrade(page, how, 2), degraded);

        let fax = degrade(page, Degradation::Fax, 1);
        assert_eq!(fax.dpi, 200);
        let (w, h) = fax.image.dimensions();
        assert!(w.abs_diff(1654) <= 1 && h.abs_diff(2339) <= 1, "{w}×{h}");
        assert!(fax.image.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
        assert!(dark_pixels(&fax.image) > 1000);

        assert_eq!(degrade(page, Degradation::Clean, 5), *page);
    }

    #[test]
    fn positive_skew_turns_the_page_clockwise() {
        let image = GrayImage::from_fn(101, 101, |x, y| {
            image::Luma([if y == 50 && (10..=90).contains(&x) {
                0
            } else {
                255
            }])
        });
        let rotated = rotate(&image, 10.0);
        let darkest_row = |x: u32| {
            (0..101)
                .min_by_key(|&y| rotated.get_pixel(x, y).0[0])
                .expect("rows")
        };
        assert!(darkest_row(85) > 55 && darkest_row(15) < 45);
    }

    #[test]
    fn degradations_drawn_from_a_seed_stay_in_range() {
        for seed in 0..100 {
            let how = Degradation::degraded(seed);
            assert_eq!(how, Degradation::degraded(seed));
            let Degradation::Degraded {
                dpi,
                skew_degrees,
                speckle,
                jpeg_quality,
            } = how
            else {
                panic!("{how:?}")
            };
            assert!((150..=200).contains(&dpi));
            assert!((1.0..=2.0).contains(&skew_degrees.abs()));
            assert!((0.002..=0.004).contains(&speckle));
            assert!((35..=60).contains(&jpeg_quality));
        }
    }

    /// A small page with the cases a G4 coder gets wrong: ink at both edges, full black rows,
    /// alternating pixels, noise; 203 wide (not a multiple of 8).
    fn tricky_page() -> ScannedPage {
        let mut rng = Rng::new(3);
        let image = GrayImage::from_fn(203, 60, |x, y| {
            let black = match y {
                0 => x == 0,
                1 => x == 202,
                2 => true,
                3 | 4 => (x + y) % 2 == 0,
                5..=9 => !(5..=197).contains(&x),
                10..=29 => rng.chance(0.3),
                30..=39 => (x / (y - 29)) % 2 == 1,
                _ => false,
            };
            image::Luma([if black { 10 } else { 240 }])
        });
        ScannedPage { image, dpi: 200 }
    }

    fn decode_tiff(bytes: &[u8]) -> Vec<((u32, u32), Vec<u8>, u32)> {
        let mut decoder = Decoder::new(Cursor::new(bytes)).expect("a TIFF");
        let mut pages = Vec::new();
        loop {
            let dims = decoder.dimensions().expect("dimensions");
            let dpi = match decoder.get_tag(Tag::XResolution).expect("XResolution") {
                ::tiff::decoder::ifd::Value::Rational(n, d) => n / d,
                other => panic!("{other:?}"),
            };
            let DecodingResult::U8(pixels) = decoder.read_image().expect("pixels") else {
                panic!("8-bit samples expected")
            };
            pages.push((dims, pixels, dpi));
            if !decoder.more_images() {
                break;
            }
            decoder.next_image().expect("next page");
        }
        pages
    }

    #[test]
    fn tiffs_decode_to_the_pages_written() {
        let pages = small_pages();
        for compression in [TiffCompression::Lzw, TiffCompression::Deflate] {
            let decoded = decode_tiff(&tiff(&pages, compression));
            assert_eq!(decoded.len(), pages.len(), "{compression:?}");
            for (page, (dims, pixels, dpi)) in pages.iter().zip(&decoded) {
                assert_eq!(*dims, page.image.dimensions());
                assert_eq!(pixels, page.image.as_raw(), "{compression:?}");
                assert_eq!(*dpi, 100);
            }
        }

        let mut pages = pages;
        pages.insert(1, tricky_page());
        let decoded = decode_tiff(&tiff(&pages, TiffCompression::Group4));
        assert_eq!(decoded.len(), pages.len());
        for (n, (page, (dims, bits, dpi))) in pages.iter().zip(&decoded).enumerate() {
            assert_eq!(*dims, page.image.dimensions());
            assert_eq!(*dpi, page.dpi);
            let (w, h) = (dims.0 as usize, dims.1 as usize);
            let stride = w.div_ceil(8);
            assert_eq!(bits.len(), stride * h);
            for (y, row) in page.image.as_raw().chunks_exact(w).enumerate() {
                for (x, &v) in row.iter().enumerate() {
                    let white = bits[y * stride + x / 8] >> (7 - x % 8) & 1 == 1;
                    assert_eq!(white, v >= BILEVEL_THRESHOLD, "page {n} at {x},{y}");
                }
            }
        }
    }

    #[test]
    fn png_and_jpeg_decode_to_the_page_size() {
        let page = small_pages().remove(0);
        let png_bytes = png(&page);
        assert!(png_bytes.windows(4).any(|w| w == b"pHYs"));
        let decoded = image::load_from_memory(&png_bytes).expect("PNG").to_luma8();
        assert_eq!(decoded, page.image);
        let decoded = image::load_from_memory(&jpeg(&page, 50)).expect("JPEG");
        assert_eq!((decoded.width(), decoded.height()), page.image.dimensions());
    }

    fn image_filters(doc: &Document) -> Vec<Vec<u8>> {
        doc.objects
            .values()
            .filter_map(|object| match object {
                Object::Stream(stream)
                    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok()
                        == Some(b"Image".as_slice()) =>
                {
                    stream
                        .dict
                        .get(b"Filter")
                        .and_then(Object::as_name)
                        .ok()
                        .map(<[u8]>::to_vec)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn image_pdfs_hold_one_image_page_per_scan() {
        let pages = small_pages();
        for (encoding, filter) in [
            (PdfImage::Dct(60), b"DCTDecode".as_slice()),
            (PdfImage::Ccitt, b"CCITTFaxDecode"),
            (PdfImage::Flate, b"FlateDecode"),
        ] {
            let bytes = image_pdf(&pages, encoding);
            assert_eq!(bytes, image_pdf(&pages, encoding));
            let doc = Document::load_mem(&bytes).expect("lopdf loads it");
            let page_ids = doc.get_pages();
            assert_eq!(page_ids.len(), pages.len(), "{encoding:?}");
            let filters = image_filters(&doc);
            assert_eq!(filters.len(), pages.len());
            assert!(
                filters.iter().all(|f| f == filter),
                "{encoding:?}: {filters:?}"
            );
            let first = doc.get_dictionary(page_ids[&1]).expect("page");
            let media_box = first
                .get(b"MediaBox")
                .and_then(Object::as_array)
                .expect("MediaBox");
            let width = media_box[2].as_float().expect("a number");
            assert!((width - 827.0 * 72.0 / 100.0).abs() < 0.01, "{width}");
        }
    }

    #[test]
    fn mixed_pdfs_have_a_text_page_then_scans() {
        let scans = small_pages();
        let lines = vec![
            "Saksframlegg".to_string(),
            "Søknad om ferdigattest for tilbygg på Åsen".to_string(),
        ];
        let bytes = mixed_pdf(&lines, &scans);
        let doc = Document::load_mem(&bytes).expect("lopdf loads it");
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 1 + scans.len());
        let fonts = doc.get_page_fonts(pages[&1]).expect("page 1 resources");
        assert!(!fonts.is_empty());
        assert!(doc.get_page_fonts(pages[&2]).expect("page 2").is_empty());
        assert_eq!(image_filters(&doc).len(), scans.len());
        let text = doc.extract_text(&[1]).expect("text of page 1");
        assert!(text.contains("Saksframlegg"), "{text}");
    }
}

/// One document as a scanned file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanCopy {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its file name extension (`pdf`, `tif`, `png`, `jpg`).
    pub extension: &'static str,
    /// Its PRONOM format id, as an export's `format` states it.
    pub pronom: &'static str,
    /// What it is (`pdf-dct`, `pdf-ccitt`, `pdf-flate`, `tiff-lzw`, `tiff-deflate`,
    /// `tiff-g4`, `png`, `jpeg`).
    pub kind: &'static str,
    /// Pages.
    pub pages: usize,
}

/// `text` printed on A4 pages and scanned at `quality`, in a file format drawn from `seed`
/// the way a kommune's scans come (mostly image PDFs; TIFF, PNG and JPEG beside them; a fax as a
/// CCITT PDF or G4 TIFF). Single-image formats (PNG, JPEG) are used for one-page documents only.
pub fn scan_copy(text: &str, quality: ScanQuality, seed: u64) -> ScanCopy {
    let mut rng = Rng::new(seed ^ 0x005C_A7C0_B1E5);
    let clean = render_pages(text, 300);
    let pages: Vec<ScannedPage> = clean
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let page_seed = seed.wrapping_mul(31).wrapping_add(i as u64);
            match quality {
                ScanQuality::Clean => page.clone(),
                ScanQuality::Degraded => degrade(page, Degradation::degraded(page_seed), page_seed),
                ScanQuality::Fax => degrade(page, Degradation::Fax, page_seed),
            }
        })
        .collect();
    let single = pages.len() == 1;
    let pick = rng.below(100);
    let (bytes, extension, pronom, kind) = match quality {
        ScanQuality::Fax if pick < 50 => (
            image_pdf(&pages, PdfImage::Ccitt),
            "pdf",
            "fmt/95",
            "pdf-ccitt",
        ),
        ScanQuality::Fax => (
            tiff(&pages, TiffCompression::Group4),
            "tif",
            "fmt/353",
            "tiff-g4",
        ),
        _ => match pick {
            0..15 if single => (png(&pages[0]), "png", "fmt/13", "png"),
            15..30 if single => (jpeg(&pages[0], 85), "jpg", "fmt/43", "jpeg"),
            30..45 => (
                tiff(&pages, TiffCompression::Lzw),
                "tif",
                "fmt/353",
                "tiff-lzw",
            ),
            45..50 => (
                tiff(&pages, TiffCompression::Deflate),
                "tif",
                "fmt/353",
                "tiff-deflate",
            ),
            50..60 => (
                image_pdf(&pages, PdfImage::Flate),
                "pdf",
                "fmt/95",
                "pdf-flate",
            ),
            _ => (
                image_pdf(&pages, PdfImage::Dct(85)),
                "pdf",
                "fmt/95",
                "pdf-dct",
            ),
        },
    };
    ScanCopy {
        bytes,
        extension,
        pronom,
        kind,
        pages: pages.len(),
    }
}
