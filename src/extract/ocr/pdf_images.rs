//! The image of a scanned PDF page: the page's largest image XObject, decoded from its own
//! filter — DCTDecode (the `image` crate's JPEG decoder), CCITTFaxDecode (`hayro-ccitt`),
//! JBIG2Decode (`hayro-jbig2`, with the stream's JBIG2Globals), Flate/LZW/raw samples (lopdf) —
//! in DeviceGray, DeviceRGB, DeviceCMYK, ICCBased, Indexed or as an image mask, turned by the
//! page's `/Rotate`. Its resolution is its pixel width over the page's width in inches.
//!
//! A scanner or a multifunction printer writes one image per page covering the page, which is
//! what this reads. The page is not rendered: vector drawings and text beside the image are not
//! on the OCR'd image (text with a text layer is read from the layer anyway).

use std::io::Cursor;

use image::{GrayImage, ImageReader};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::page::{check_size, gray_of_cmyk, gray_of_rgb, PageError, PageImage};
use crate::extract::pdf::{deref, inherited};

/// Form XObjects are followed this deep looking for the page's image.
const MAX_FORM_DEPTH: usize = 3;

/// The page's image, decoded to grey, within `max_pixels`.
pub fn page_image(
    doc: &Document,
    page_id: ObjectId,
    max_pixels: u64,
) -> Result<PageImage, PageError> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|_| PageError::Undecodable("the page object is missing".into()))?;
    let resources = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok());
    let mut best: Option<(u64, &Stream)> = None;
    if let Some(resources) = resources {
        largest_image(doc, resources, 0, &mut best);
    }
    let (_, stream) = best.ok_or(PageError::NoImage)?;
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|r| r.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    let turned = rotate == 90 || rotate == 270;
    let (w, h) = (
        dim(doc, &stream.dict, b"Width"),
        dim(doc, &stream.dict, b"Height"),
    );
    let (w, h) = if turned { (h, w) } else { (w, h) };
    let page_size = page_size_inches(doc, page, turned);
    if let Some(size) = page_size {
        if !covers_page(w as f32, h as f32, size) {
            return Err(PageError::NoImage);
        }
    }
    let gray = decode_image(doc, stream, max_pixels)?;
    let gray = match rotate {
        90 => image::imageops::rotate90(&gray),
        180 => image::imageops::rotate180(&gray),
        270 => image::imageops::rotate270(&gray),
        _ => gray,
    };
    let dpi = page_size.map(|(inches, _)| gray.width() as f32 / inches);
    Ok(PageImage { gray, dpi })
}

/// Whether an image of `w × h` pixels is the scan of a page of `size` inches: the page's
/// shape (within a quarter) at 60 dpi or more. A born-digital page's logo, photo or
/// signature is not, and is not OCR'd (its page keeps its text layer).
fn covers_page(w: f32, h: f32, (page_w, page_h): (f32, f32)) -> bool {
    let shape = (w / h.max(1.0)) / (page_w / page_h);
    (0.75..=1.33).contains(&shape) && w / page_w >= 60.0
}

/// The shown page's width and height in inches (CropBox where set, else MediaBox), swapped
/// when the page is turned a quarter.
fn page_size_inches(doc: &Document, page: &Dictionary, turned: bool) -> Option<(f32, f32)> {
    let bbox = inherited(doc, page, b"CropBox").or_else(|| inherited(doc, page, b"MediaBox"))?;
    let v: Vec<f32> = bbox
        .as_array()
        .ok()?
        .iter()
        .filter_map(|o| number(deref(doc, o)))
        .collect();
    let [x0, y0, x1, y1] = <[f32; 4]>::try_from(v).ok()?;
    let (w, h) = ((x1 - x0).abs() / 72.0, (y1 - y0).abs() / 72.0);
    let (w, h) = if turned { (h, w) } else { (w, h) };
    (w > 0.1 && h > 0.1).then_some((w, h))
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// The largest image (by pixels) among `resources`' XObjects and their forms'.
fn largest_image<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    depth: usize,
    best: &mut Option<(u64, &'a Stream)>,
) {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|x| deref(doc, x).as_dict().ok())
    else {
        return;
    };
    for (_, xobject) in xobjects.iter() {
        let Ok(stream) = deref(doc, xobject).as_stream() else {
            continue;
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|s| s.as_name().ok());
        match subtype {
            Some(b"Image") => {
                let px = dim(doc, &stream.dict, b"Width").saturating_mul(dim(
                    doc,
                    &stream.dict,
                    b"Height",
                ));
                if best.is_none_or(|(b, _)| px > b) {
                    *best = Some((px, stream));
                }
            }
            Some(b"Form") if depth < MAX_FORM_DEPTH => {
                if let Some(inner) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| deref(doc, r).as_dict().ok())
                {
                    largest_image(doc, inner, depth + 1, best);
                }
            }
            _ => {}
        }
    }
}

fn dim(doc: &Document, dict: &Dictionary, key: &[u8]) -> u64 {
    dict.get(key)
        .ok()
        .and_then(|v| deref(doc, v).as_i64().ok())
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(0)
}

/// The codecs that end a filter chain and are decoded here rather than by lopdf.
const IMAGE_CODECS: [&[u8]; 4] = [
    b"DCTDecode",
    b"CCITTFaxDecode",
    b"JBIG2Decode",
    b"JPXDecode",
];

fn decode_image(doc: &Document, stream: &Stream, max_pixels: u64) -> Result<GrayImage, PageError> {
    let dict = &stream.dict;
    let (w, h) = (dim(doc, dict, b"Width"), dim(doc, dict, b"Height"));
    check_size(w, h, max_pixels)?;
    let (w32, h32) = (w as u32, h as u32);
    let filters: Vec<Vec<u8>> = match dict.get(b"Filter").map(|f| deref(doc, f)) {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a
            .iter()
            .filter_map(|f| deref(doc, f).as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let codec = filters
        .last()
        .filter(|f| IMAGE_CODECS.contains(&f.as_slice()))
        .cloned();
    // The bytes the codec reads: the stream with the filters before the codec undone.
    let max_bytes = usize::try_from(max_pixels.saturating_mul(4)).unwrap_or(usize::MAX);
    let data = match &codec {
        None => stream
            .get_plain_content_with_limit(max_bytes)
            .map_err(|e| PageError::Undecodable(e.to_string()))?,
        Some(_) if filters.len() == 1 => stream.content.clone(),
        Some(_) => {
            let mut outer = stream.clone();
            let before: Vec<Object> = filters[..filters.len() - 1]
                .iter()
                .map(|f| Object::Name(f.clone()))
                .collect();
            outer.dict.set("Filter", Object::Array(before));
            outer.dict.remove(b"DecodeParms");
            outer
                .decompressed_content_with_limit(max_bytes)
                .map_err(|e| PageError::Undecodable(e.to_string()))?
        }
    };
    let parms = decode_parms(doc, dict, filters.len());
    let mask = dict
        .get(b"ImageMask")
        .ok()
        .and_then(|m| m.as_bool().ok())
        .unwrap_or(false);
    let inverted = decode_inverted(doc, dict);
    let mut gray = match codec.as_deref() {
        Some(b"DCTDecode") => {
            let img = ImageReader::with_format(Cursor::new(&data), image::ImageFormat::Jpeg)
                .decode()
                .map_err(|e| PageError::Undecodable(e.to_string()))?;
            let mut g = img.into_luma8();
            // An Adobe CMYK JPEG comes out as inverted ink; /Decode says so when it matters.
            if inverted {
                image::imageops::invert(&mut g);
            }
            g
        }
        Some(b"CCITTFaxDecode") => bilevel(w32, h32, inverted, |push| {
            ccitt(&data, w32, h32, parms, doc, push)
        })?,
        Some(b"JBIG2Decode") => bilevel(w32, h32, inverted, |push| jbig2(&data, parms, doc, push))?,
        Some(_) => {
            return Err(PageError::Undecodable(
                "JPEG 2000 (JPXDecode) page images are not read".into(),
            ))
        }
        None => samples_to_gray(doc, dict, &data, w32, h32, mask, inverted)?,
    };
    // Scans are dark text on a light page; a mostly dark image is a negative.
    let mean = gray.as_raw().iter().map(|&p| u64::from(p)).sum::<u64>() / (w * h).max(1);
    if mean < 96 {
        image::imageops::invert(&mut gray);
    }
    Ok(gray)
}

/// The codec's DecodeParms (the last entry where Filter is an array).
fn decode_parms<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    filters: usize,
) -> Option<&'a Dictionary> {
    match deref(doc, dict.get(b"DecodeParms").ok()?) {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) => a
            .get(filters.checked_sub(1)?)
            .and_then(|p| deref(doc, p).as_dict().ok()),
        _ => None,
    }
}

/// Whether `/Decode` swaps dark and light (`[1 0]` for a one-component image).
fn decode_inverted(doc: &Document, dict: &Dictionary) -> bool {
    let Some(Ok(a)) = dict.get(b"Decode").ok().map(|d| deref(doc, d).as_array()) else {
        return false;
    };
    let v: Vec<f32> = a.iter().filter_map(|o| number(deref(doc, o))).collect();
    v.len() >= 2 && v[0] > v[1]
}

fn parm_i64(doc: &Document, parms: Option<&Dictionary>, key: &[u8], default: i64) -> i64 {
    parms
        .and_then(|p| p.get(key).ok())
        .and_then(|v| deref(doc, v).as_i64().ok())
        .unwrap_or(default)
}

fn parm_bool(doc: &Document, parms: Option<&Dictionary>, key: &[u8], default: bool) -> bool {
    parms
        .and_then(|p| p.get(key).ok())
        .and_then(|v| deref(doc, v).as_bool().ok())
        .unwrap_or(default)
}

/// A 1-bit page filled by a decoder that reports black pixels: an image mask paints its 0
/// samples (or 1 with `Decode [1 0]`) black; a 1-bit grey image shows sample 0 black.
fn bilevel(
    w: u32,
    h: u32,
    inverted: bool,
    decode: impl FnOnce(&mut dyn FnMut(usize, usize, bool)) -> Result<(), PageError>,
) -> Result<GrayImage, PageError> {
    let mut pixels = vec![255u8; w as usize * h as usize];
    let wu = w as usize;
    // The filters put black as sample 0 (CCITT with BlackIs1 false; JBIG2 in PDF), so for
    // an image mask (which paints its 0 samples) and a grey image alike a black pixel is dark
    // unless /Decode swaps them.
    let mut put = |x: usize, y: usize, black: bool| {
        if black != inverted {
            if let Some(p) = pixels.get_mut(y * wu + x) {
                *p = 0;
            }
        }
    };
    decode(&mut put)?;
    GrayImage::from_raw(w, h, pixels).ok_or_else(|| PageError::Undecodable("bad image size".into()))
}

fn ccitt(
    data: &[u8],
    w: u32,
    h: u32,
    parms: Option<&Dictionary>,
    doc: &Document,
    put: &mut dyn FnMut(usize, usize, bool),
) -> Result<(), PageError> {
    let k = parm_i64(doc, parms, b"K", 0);
    let columns = u32::try_from(parm_i64(doc, parms, b"Columns", i64::from(w))).unwrap_or(w);
    let black_is_1 = parm_bool(doc, parms, b"BlackIs1", false);
    let settings = hayro_ccitt::DecodeSettings {
        columns,
        rows: u32::try_from(parm_i64(doc, parms, b"Rows", i64::from(h))).unwrap_or(h),
        end_of_block: parm_bool(doc, parms, b"EndOfBlock", true),
        end_of_line: parm_bool(doc, parms, b"EndOfLine", false),
        rows_are_byte_aligned: parm_bool(doc, parms, b"EncodedByteAlign", false),
        encoding: match k {
            k if k < 0 => hayro_ccitt::EncodingMode::Group4,
            0 => hayro_ccitt::EncodingMode::Group3_1D,
            _ => hayro_ccitt::EncodingMode::Group3_2D,
        },
        strict: false,
    };
    struct Rows<'p> {
        y: usize,
        width: usize,
        black_is_1: bool,
        put: &'p mut dyn FnMut(usize, usize, bool),
    }
    impl hayro_ccitt::Decoder for Rows<'_> {
        fn push_row(&mut self, changes: &[u32]) {
            let mut at = 0usize;
            let mut coded_black = false;
            for &c in changes.iter().chain(std::iter::once(&(self.width as u32))) {
                let end = (c as usize).min(self.width);
                // With BlackIs1 the coded black runs are sample 1: light in a grey image.
                let black = coded_black != self.black_is_1;
                if black {
                    for x in at..end {
                        (self.put)(x, self.y, true);
                    }
                }
                at = end;
                coded_black = !coded_black;
            }
            self.y += 1;
        }
    }
    let mut rows = Rows {
        y: 0,
        width: columns.min(w) as usize,
        black_is_1,
        put,
    };
    let mut ctx = hayro_ccitt::DecoderContext::new(settings);
    match hayro_ccitt::decode(data, &mut rows, &mut ctx) {
        Ok(_) => Ok(()),
        // A damaged stream still gives the rows before the damage; use them when there are some.
        Err(_) if rows.y > 0 => Ok(()),
        Err(e) => Err(PageError::Undecodable(format!("CCITT: {e:?}"))),
    }
}

fn jbig2(
    data: &[u8],
    parms: Option<&Dictionary>,
    doc: &Document,
    put: &mut dyn FnMut(usize, usize, bool),
) -> Result<(), PageError> {
    let settings = hayro_jbig2::DecodeSettings::default();
    let globals_bytes = parms
        .and_then(|p| p.get(b"JBIG2Globals").ok())
        .and_then(|g| crate::extract::pdf::stream_bytes(doc, g));
    let globals = match &globals_bytes {
        Some(b) => Some(
            hayro_jbig2::Globals::new(b, &settings)
                .map_err(|e| PageError::Undecodable(format!("JBIG2 globals: {e:?}")))?,
        ),
        None => None,
    };
    let page = hayro_jbig2::Page::new_embedded(data, globals.as_ref(), &settings)
        .map_err(|e| PageError::Undecodable(format!("JBIG2: {e:?}")))?;
    struct Pixels<'p> {
        x: usize,
        y: usize,
        put: &'p mut dyn FnMut(usize, usize, bool),
    }
    impl hayro_jbig2::Decoder for Pixels<'_> {
        fn push_pixel(&mut self, black: bool) {
            if black {
                (self.put)(self.x, self.y, true);
            }
            self.x += 1;
        }
        fn push_pixel_chunk(&mut self, black: bool, chunk_count: u32) {
            let n = chunk_count as usize * 8;
            if black {
                for x in self.x..self.x + n {
                    (self.put)(x, self.y, true);
                }
            }
            self.x += n;
        }
        fn next_line(&mut self) {
            self.x = 0;
            self.y += 1;
        }
    }
    page.decode(&mut Pixels { x: 0, y: 0, put })
        .map_err(|e| PageError::Undecodable(format!("JBIG2: {e:?}")))
}

/// Raw samples (after Flate/LZW and predictors) to grey.
fn samples_to_gray(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    w: u32,
    h: u32,
    mask: bool,
    inverted: bool,
) -> Result<GrayImage, PageError> {
    let bpc = if mask {
        1
    } else {
        parm_i64(doc, Some(dict), b"BitsPerComponent", 8)
    };
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) {
        return Err(PageError::Undecodable(format!("{bpc} bits per component")));
    }
    let bpc = bpc as usize;
    let space = if mask {
        ColorSpace::Gray
    } else {
        color_space(doc, dict.get(b"ColorSpace").ok())
    };
    let comps = space.components();
    let (wu, hu) = (w as usize, h as usize);
    let stride = (wu * comps * bpc).div_ceil(8);
    if data.len() < stride * hu {
        return Err(PageError::Undecodable(format!(
            "{} bytes of samples, {} needed",
            data.len(),
            stride * hu
        )));
    }
    let max = ((1u32 << bpc.min(8)) - 1) as f32;
    // The i-th sample of a row as stored (16-bit ones by their high byte).
    let raw = |row: &[u8], i: usize| -> u8 {
        match bpc {
            8 => row[i],
            16 => row[i * 2],
            _ => {
                let bit = i * bpc;
                (row[bit / 8] >> (8 - bpc - bit % 8)) & ((1 << bpc) - 1) as u8
            }
        }
    };
    // ... as an intensity, 0–255.
    let sample = |row: &[u8], i: usize| -> u8 {
        if bpc < 8 {
            (f32::from(raw(row, i)) / max * 255.0) as u8
        } else {
            raw(row, i)
        }
    };
    let mut pixels = Vec::with_capacity(wu * hu);
    for row in data.chunks(stride).take(hu) {
        for x in 0..wu {
            let v = match &space {
                ColorSpace::Gray => sample(row, x),
                ColorSpace::Rgb => gray_of_rgb(
                    sample(row, x * 3),
                    sample(row, x * 3 + 1),
                    sample(row, x * 3 + 2),
                ),
                ColorSpace::Cmyk => gray_of_cmyk(
                    sample(row, x * 4),
                    sample(row, x * 4 + 1),
                    sample(row, x * 4 + 2),
                    sample(row, x * 4 + 3),
                ),
                ColorSpace::Indexed { base_rgb, lookup } => {
                    // Indexed samples are palette indices, not intensities.
                    let index = usize::from(raw(row, x));
                    if *base_rgb {
                        let e = lookup
                            .get(index * 3..index * 3 + 3)
                            .unwrap_or(&[255, 255, 255]);
                        gray_of_rgb(e[0], e[1], e[2])
                    } else {
                        lookup.get(index).copied().unwrap_or(255)
                    }
                }
            };
            // An image mask paints (black) where its sample is 0.
            let v = if mask {
                if v == 0 {
                    0
                } else {
                    255
                }
            } else {
                v
            };
            pixels.push(if inverted { 255 - v } else { v });
        }
    }
    GrayImage::from_raw(w, h, pixels).ok_or_else(|| PageError::Undecodable("bad image size".into()))
}

enum ColorSpace {
    Gray,
    Rgb,
    Cmyk,
    Indexed { base_rgb: bool, lookup: Vec<u8> },
}

impl ColorSpace {
    fn components(&self) -> usize {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed { .. } => 1,
            ColorSpace::Rgb => 3,
            ColorSpace::Cmyk => 4,
        }
    }
}

fn color_space(doc: &Document, cs: Option<&Object>) -> ColorSpace {
    let Some(cs) = cs.map(|c| deref(doc, c)) else {
        return ColorSpace::Gray;
    };
    let by_name = |n: &[u8]| match n {
        b"DeviceRGB" | b"CalRGB" | b"RGB" => ColorSpace::Rgb,
        b"DeviceCMYK" | b"CMYK" => ColorSpace::Cmyk,
        _ => ColorSpace::Gray,
    };
    match cs {
        Object::Name(n) => by_name(n),
        Object::Array(a) => {
            let family = a
                .first()
                .and_then(|f| deref(doc, f).as_name().ok())
                .unwrap_or(b"");
            match family {
                b"ICCBased" => {
                    let n = a
                        .get(1)
                        .and_then(|s| deref(doc, s).as_stream().ok())
                        .and_then(|s| s.dict.get(b"N").ok().and_then(|n| n.as_i64().ok()))
                        .unwrap_or(1);
                    match n {
                        3 => ColorSpace::Rgb,
                        4 => ColorSpace::Cmyk,
                        _ => ColorSpace::Gray,
                    }
                }
                b"Indexed" | b"I" => {
                    let base = a.get(1).map(|b| color_space(doc, Some(b)));
                    let lookup = match a.get(3).map(|l| deref(doc, l)) {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(Object::Stream(s)) => {
                            s.get_plain_content_with_limit(1 << 16).unwrap_or_default()
                        }
                        _ => Vec::new(),
                    };
                    ColorSpace::Indexed {
                        base_rgb: matches!(base, Some(ColorSpace::Rgb)),
                        lookup,
                    }
                }
                b"CalRGB" => ColorSpace::Rgb,
                _ => by_name(family),
            }
        }
        _ => ColorSpace::Gray,
    }
}
