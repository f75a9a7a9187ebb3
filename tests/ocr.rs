//! OCR of scanned documents (feature `ocr`): every image format a kommune's scans come in,
//! rendered from a known text, read back by Tesseract through `extract_bytes` and through a
//! real scan into the review table; and the bad inputs a scan must survive.

use std::fs;
use std::time::{Duration, Instant};

use arkivar::extract::{extract_bytes, ExtractStatus, Limits, OcrSettings, TextSource};
use arkivar::synth::scanned::{
    degrade, image_pdf, jpeg, mixed_pdf, png, render_pages, tiff, Degradation, PdfImage,
    TiffCompression,
};
use arrow::array::{Array, AsArray};

mod common;

/// A letter with æ, ø, å, a § and a fødselsnummer beside its label (a valid one goes in
/// place of the placeholder `15087512345`, which fails its check digits).
const LETTER: &str = "Vedtak om støtte til tilrettelegging i barnehagen\n\n\
Vi viser til søknad mottatt 12.03.2024 om ekstra bemanning for Åse Ødegård.\n\n\
Fødselsnummer: 15087512345\n\n\
Kommunen har vurdert søknaden etter barnehageloven § 37 og innvilger fem timer \
spesialpedagogisk hjelp i uka fra 1. august. Vedtaket kan påklages til Statsforvalteren \
innen tre uker etter at det er mottatt. Dere har rett til å se sakens dokumenter.\n\n\
Med vennlig hilsen\nKari Særheim\nrådgiver, oppvekstetaten";

fn letter() -> String {
    LETTER.replace("15087512345", &valid_fnr())
}

/// A valid fødselsnummer for someone born 15.08.1975 (the synthetic exports' generator).
fn valid_fnr() -> String {
    use arkivar::synth::{date::Date, personal::fodselsnummer, rng::Rng};
    fodselsnummer(Date::new(1975, 8, 15), false, &mut Rng::new(1))
}

fn normalised(s: &str) -> Vec<char> {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

/// Character error rate: edit distance over the reference's length, white space folded.
fn cer(reference: &str, read: &str) -> f64 {
    let (a, b) = (normalised(reference), normalised(read));
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j + 1] + 1)
                    .min(cur[j] + 1)
                    .min(prev[j] + usize::from(ca != cb)),
            );
        }
        prev = cur;
    }
    prev[b.len()] as f64 / a.len().max(1) as f64
}

fn read(bytes: &[u8], name: &str) -> arkivar::extract::Extracted {
    extract_bytes(bytes, Some(name), &Limits::default())
}

#[test]
fn every_scan_format_is_read_with_its_text() {
    let text = letter();
    let clean = render_pages(&text, 300);
    assert_eq!(clean.len(), 1);
    let degraded: Vec<_> = clean
        .iter()
        .map(|p| {
            degrade(
                p,
                Degradation::Degraded {
                    dpi: 150,
                    skew_degrees: 1.5,
                    speckle: 0.003,
                    jpeg_quality: 40,
                },
                7,
            )
        })
        .collect();
    let fax: Vec<_> = clean
        .iter()
        .map(|p| degrade(p, Degradation::Fax, 3))
        .collect();
    let two_fax_pages = [fax[0].clone(), fax[0].clone()];
    let cases: Vec<(&str, Vec<u8>, u32, f64)> = vec![
        ("clean.png", png(&clean[0]), 1, 0.005),
        ("degraded.jpg", jpeg(&degraded[0], 60), 1, 0.02),
        (
            "fax.tif",
            tiff(&two_fax_pages, TiffCompression::Group4),
            2,
            0.02,
        ),
        ("grey.tif", tiff(&degraded, TiffCompression::Lzw), 1, 0.02),
        (
            "deflate.tif",
            tiff(&clean, TiffCompression::Deflate),
            1,
            0.005,
        ),
        ("scan.pdf", image_pdf(&degraded, PdfImage::Dct(75)), 1, 0.02),
        ("fax.pdf", image_pdf(&fax, PdfImage::Ccitt), 1, 0.02),
        ("flate.pdf", image_pdf(&clean, PdfImage::Flate), 1, 0.005),
    ];
    for (name, bytes, pages, max_cer) in cases {
        let e = read(&bytes, name);
        assert_eq!(e.status, ExtractStatus::Ok, "{name}: {:?}", e.error);
        assert_eq!(e.text_source, Some(TextSource::Ocr), "{name}");
        let ocr = e.ocr.expect("an OCR report");
        assert_eq!((ocr.pages, e.pages), (pages, Some(pages)), "{name}");
        let confidence = ocr.confidence.expect("words were read");
        assert!((0.5..=1.0).contains(&confidence), "{name}: {confidence}");
        let reference = if pages == 2 {
            format!("{text}\n{text}")
        } else {
            text.clone()
        };
        let got = cer(&reference, &e.text);
        assert!(
            got <= max_cer,
            "{name}: CER {got:.4} over {max_cer}\n{}",
            e.text
        );
        for word in ["Ødegård", "påklages", "Særheim"] {
            assert!(e.text.contains(word), "{name}: {word} not read\n{}", e.text);
        }
        assert!(
            e.text.contains(&valid_fnr()),
            "{name}: the fødselsnummer's digits"
        );
    }
}

#[test]
fn a_mixed_pdf_keeps_its_text_layer_and_reads_its_scanned_pages() {
    let scanned = render_pages(&letter(), 300);
    let first = vec!["Saksframlegg om tilrettelegging, side 1 av 2".to_string(); 3];
    let e = read(&mixed_pdf(&first, &scanned), "mixed.pdf");
    assert_eq!(e.status, ExtractStatus::Ok, "{:?}", e.error);
    assert_eq!(e.text_source, Some(TextSource::Mixed));
    assert_eq!(
        e.ocr.map(|o| o.pages),
        Some(1),
        "only the page without text is OCR'd"
    );
    let (layer, scan) = e.text.split_once('\x0c').expect("two pages");
    assert!(layer.contains("Saksframlegg om tilrettelegging"));
    assert!(cer(&letter(), scan) < 0.01, "{scan}");
}

/// `arkivar scan INPUT -o OUT --no-embed EXTRA…`, which must succeed; what it said.
fn scan(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> String {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .args([
            "scan",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--no-embed",
        ])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    stderr
}

#[test]
fn a_scan_gets_its_review_row_with_personal_data_found() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("inn");
    fs::create_dir(&input).unwrap();
    let page = &render_pages(&letter(), 300)[0];
    fs::write(input.join("vedtak.png"), png(page)).unwrap();
    fs::write(
        input.join("notat.txt"),
        "Notat fra møte i oppvekstutvalget.",
    )
    .unwrap();
    let out = dir.path().join("ut");
    let stderr = scan(&input, &out, &[]);
    assert!(
        stderr.contains("OCR read 1 pages of 1 documents"),
        "{stderr}"
    );
    let batches = common::review_batches(&out);
    let mut seen = 0;
    for b in &batches {
        let path = b
            .column_by_name("source_path")
            .unwrap()
            .as_string::<i32>()
            .clone();
        let source = b.column_by_name("text_source").unwrap();
        let source = arrow::compute::cast(source, &arrow::datatypes::DataType::Utf8).unwrap();
        let source = source.as_string::<i32>();
        let pages = b
            .column_by_name("ocr_pages")
            .unwrap()
            .as_primitive::<arrow::datatypes::UInt32Type>()
            .clone();
        let conf = b
            .column_by_name("ocr_confidence")
            .unwrap()
            .as_primitive::<arrow::datatypes::Float32Type>()
            .clone();
        let kinds = b
            .column_by_name("pii_kinds")
            .unwrap()
            .as_list::<i32>()
            .clone();
        for i in 0..b.num_rows() {
            if path.value(i).ends_with("vedtak.png") {
                seen += 1;
                assert_eq!(source.value(i), "ocr");
                assert_eq!(pages.value(i), 1);
                assert!(conf.value(i) > 0.75, "{}", conf.value(i));
                let k = arrow::compute::cast(&kinds.value(i), &arrow::datatypes::DataType::Utf8)
                    .unwrap();
                let k = k.as_string::<i32>();
                assert!((0..k.len()).any(|j| k.value(j) == "fodselsnummer"), "{k:?}");
            } else {
                assert_eq!(source.value(i), "text_layer");
                assert!(pages.is_null(i) && conf.is_null(i));
            }
        }
    }
    assert_eq!(seen, 1);

    // The reading is kept in OUT/_ocr_cache by file checksum: a re-scan takes it from there
    // (shown by changing the cached text) instead of reading the page again.
    let entries = common::files_under(&out.join("_ocr_cache"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let cached = fs::read_to_string(&entries[0]).unwrap();
    assert!(cached.contains("Vedtak om støtte"));
    fs::write(
        &entries[0],
        cached.replace("Vedtak om støtte", "Fra hurtiglageret"),
    )
    .unwrap();
    scan(&input, &out, &["--overwrite"]);
    let previews: Vec<String> = common::review_batches(&out)
        .iter()
        .flat_map(|b| {
            let p = b
                .column_by_name("text_preview")
                .unwrap()
                .as_string::<i32>()
                .clone();
            (0..p.len())
                .map(move |i| p.value(i).to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        previews.iter().any(|p| p.starts_with("Fra hurtiglageret")),
        "{previews:?}"
    );
}

/// A PNG header claiming `w × h` grey pixels, with a token of pixel data.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], body: &[u8]| {
        let mut c = (body.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(body);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(body);
        c.extend_from_slice(&crc.finalize().to_be_bytes());
        c
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn bad_scans_get_a_status_and_a_reason_never_a_crash_or_a_hang() {
    // A 20 000 × 20 000 page: refused from its header, before 400 MB are decoded.
    let e = read(&png_header_only(20_000, 20_000), "huge.png");
    assert_eq!(e.status, ExtractStatus::TooLarge);
    assert!(
        e.error.as_deref().unwrap().contains("20000 × 20000 px"),
        "{:?}",
        e.error
    );

    // A page of that size as a PDF's image.
    let mut doc =
        lopdf::Document::load_mem(&image_pdf(&render_pages("Side", 100), PdfImage::Flate)).unwrap();
    for (_, object) in doc.objects.iter_mut() {
        if let Ok(stream) = object.as_stream_mut() {
            if stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .is_ok_and(|n| n == b"Image")
            {
                // A4's shape, so it is the page's scan.
                stream.dict.set("Width", 20_000);
                stream.dict.set("Height", 28_284);
            }
        }
    }
    let mut huge_pdf = Vec::new();
    doc.save_to(&mut huge_pdf).unwrap();
    let e = read(&huge_pdf, "huge.pdf");
    assert_eq!(e.status, ExtractStatus::TooLarge, "{:?}", e.error);

    // A 0-byte TIFF.
    let e = read(b"", "tom.tif");
    assert_eq!(e.status, ExtractStatus::Empty);
    assert!(e.error.is_some());

    // A TIFF of 2 000 small blank pages: the first 100 are read, the rest counted.
    let blank = arkivar::synth::scanned::ScannedPage {
        image: image::GrayImage::from_pixel(64, 64, image::Luma([255])),
        dpi: 300,
    };
    let many = tiff(&vec![blank; 2000], TiffCompression::Deflate);
    let started = Instant::now();
    let e = read(&many, "mange.tif");
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.status, ExtractStatus::Empty, "{:?}", e.error);
    assert_eq!(e.pages, Some(2000));
    let why = e.error.unwrap();
    assert!(
        why.contains("OCR stopped after 100 pages (1900 more"),
        "{why}"
    );

    // A truncated JPEG: what can be decoded is read, or the row says it cannot be.
    let whole = jpeg(&render_pages(&letter(), 200)[0], 80);
    let e = read(&whole[..whole.len() / 2], "kuttet.jpg");
    assert!(
        e.status == ExtractStatus::Ok || (e.status == ExtractStatus::Corrupt && e.error.is_some()),
        "{:?} {:?}",
        e.status,
        e.error
    );

    // Garbage after a TIFF header.
    let e = read(b"II*\0\x08\0\0\0garbage", "skrot.tif");
    assert_eq!(e.status, ExtractStatus::Corrupt, "{:?}", e.error);

    // A page that takes longer than its limit is given up, with the reason.
    let limits = Limits {
        ocr: Some(OcrSettings {
            page_timeout: Duration::from_millis(1),
            ..OcrSettings::default()
        }),
        ..Limits::default()
    };
    let e = extract_bytes(
        &png(&render_pages(&letter(), 300)[0]),
        Some("treg.png"),
        &limits,
    );
    assert_eq!(e.status, ExtractStatus::Timeout, "{:?}", e.error);
    assert!(e.error.unwrap().contains("OCR took longer than"));
}

/// A PDF of `pages`, each page's MediaBox set to A4 (so a small image no longer covers it).
fn on_a4(pdf: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let ids: Vec<_> = doc.get_pages().into_values().collect();
    for id in ids {
        let page = doc.get_dictionary_mut(id).unwrap();
        page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_logo_on_a_short_page_is_not_ocrd() {
    // A 240 × 90 px logo on an A4 page with no text layer: no scan to read.
    let logo = arkivar::synth::scanned::ScannedPage {
        image: image::GrayImage::from_fn(240, 90, |x, _| {
            image::Luma([if x % 40 < 20 { 30 } else { 220 }])
        }),
        dpi: 300,
    };
    let e = read(
        &on_a4(&image_pdf(std::slice::from_ref(&logo), PdfImage::Flate)),
        "logo.pdf",
    );
    assert_eq!(e.status, ExtractStatus::NeedsOcr, "{:?}", e.error);
    assert!(e.error.unwrap().contains("no scanned image"));

    // A letter whose last page holds only the logo: the text layer is the text, nothing OCR'd,
    // nothing to review about OCR.
    let lines = vec!["Vedtak om startlån til kjøp av bolig i Sørfjord kommune.".to_string(); 4];
    let e = read(&on_a4(&mixed_pdf(&lines, &[logo])), "brev.pdf");
    assert_eq!(e.status, ExtractStatus::Ok, "{:?}", e.error);
    assert_eq!(e.text_source, Some(TextSource::TextLayer));
    assert_eq!((e.ocr, e.error), (None, None));
}
