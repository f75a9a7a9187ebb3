//! Tests of the PDF text extractor on hand-built content streams, on files
//! from the synthetic writer, and on damaged input.

use super::*;
use crate::synth::pdf::{
    write_encrypted_pdf, write_image_only_pdf, write_pdf, FontFlavor, Line, PdfSpec, Run,
};
use crate::synth::rng::Rng;
use lopdf::{dictionary, Stream};

fn limits() -> PdfLimits {
    PdfLimits {
        max_pages: 100,
        deadline: None,
    }
}

/// A one-page PDF with Helvetica (F1) and Helvetica-Bold (F2), WinAnsi and
/// AFM widths, and `content` as its page content.
fn pdf_with_content(content: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = |base: &str| {
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base, "Encoding" => "WinAnsiEncoding" }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let content = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            // Inherited by the page, which has none of its own.
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("in-memory save");
    bytes
}

fn page_one(content: &str) -> String {
    let text = extract_pdf(&pdf_with_content(content), &limits()).expect("readable test PDF");
    text.pages.into_iter().next().unwrap_or_default()
}

#[test]
fn a_font_switch_inside_a_word_adds_no_space() {
    let text = page_one("BT /F2 11 Tf 56 700 Td (uttalelse) Tj /F1 11 Tf (r) Tj ET");
    assert_eq!(text, "uttalelser");
}

#[test]
fn a_large_negative_tj_offset_is_a_word_break_but_kerning_is_not() {
    assert_eq!(
        page_one("BT /F1 11 Tf 56 700 Td [(Hei) -278 (der)] TJ ET"),
        "Hei der"
    );
    assert_eq!(
        page_one("BT /F1 11 Tf 56 700 Td [(W) 80 (a) -30 (ter)] TJ ET"),
        "Water"
    );
}

#[test]
fn a_td_move_on_the_same_baseline_is_a_space_and_a_new_baseline_a_line() {
    let text =
        page_one("BT /F1 11 Tf 14 TL 56 700 Td (Vedtak) Tj 45 0 Td (fattet) Tj T* (i dag) Tj ET");
    assert_eq!(text, "Vedtak fattet\ni dag");
}

#[test]
fn existing_space_characters_are_not_doubled() {
    let text = page_one("BT /F1 11 Tf 56 700 Td [(Hei ) -600 (der)] TJ ( ) Tj 200 0 Td (og) Tj ET");
    assert_eq!(text, "Hei der og");
}

#[test]
fn winansi_bytes_decode_to_norwegian_letters() {
    let text = page_one("BT /F1 11 Tf 56 700 Td (bl\\345b\\346r \\330l \\305s \\306\\370) Tj ET");
    assert_eq!(text, "blåbær Øl Ås Æø");
}

#[test]
fn the_text_matrix_and_ctm_place_text_in_device_space() {
    // Two runs scaled by cm and Tm that meet exactly, then a gap.
    let text = page_one("q 2 0 0 2 0 0 cm BT /F1 5.5 Tf 1 0 0 1 28 350 Tm (Saks) Tj ET Q BT /F1 11 Tf 1 0 0 1 80.45 700 Tm (nummer) Tj 200 0 Td (2024) Tj ET");
    assert_eq!(text, "Saksnummer 2024");
}

#[test]
fn empty_bytes_are_corrupt() {
    assert!(matches!(
        extract_pdf(&[], &limits()),
        Err(PdfError::Corrupt(_))
    ));
}

#[test]
fn truncated_files_are_corrupt() {
    let bytes = write_pdf(&sample_spec(FontFlavor::WinAnsiHelvetica, false, false));
    for cut in [10, 100, bytes.len() / 3] {
        let result = extract_pdf(&bytes[..cut], &limits());
        assert!(
            matches!(result, Err(PdfError::Corrupt(_))),
            "cut at {cut}: {result:?}"
        );
    }
    assert!(matches!(
        extract_pdf(b"not a pdf at all", &limits()),
        Err(PdfError::Corrupt(_))
    ));
}

#[test]
fn encrypted_files_are_flagged_even_with_an_empty_password() {
    let result = extract_pdf(
        &write_encrypted_pdf("Taushetsbelagt\nunntatt offentlighet"),
        &limits(),
    );
    assert!(matches!(result, Err(PdfError::Encrypted)), "{result:?}");
}

#[test]
fn image_only_pages_have_empty_text() {
    let text = extract_pdf(&write_image_only_pdf(3), &limits()).expect("a valid scan");
    assert_eq!(
        text.pages,
        vec![String::new(), String::new(), String::new()]
    );
}

#[test]
fn too_many_pages_are_refused_before_extraction() {
    let result = extract_pdf(
        &write_image_only_pdf(5),
        &PdfLimits {
            max_pages: 4,
            deadline: None,
        },
    );
    assert!(
        matches!(result, Err(PdfError::TooManyPages { pages: 5, limit: 4 })),
        "{result:?}"
    );
}

#[test]
fn a_passed_deadline_times_out() {
    let past = Instant::now();
    let result = extract_pdf(
        &write_image_only_pdf(1),
        &PdfLimits {
            max_pages: 4,
            deadline: Some(past),
        },
    );
    assert!(matches!(result, Err(PdfError::Timeout)), "{result:?}");
}

fn sample_spec(flavor: FontFlavor, by_positioning: bool, in_form: bool) -> PdfSpec {
    PdfSpec {
        title: "Høringsuttalelse".into(),
        pages: vec![
            vec![
                Line { runs: vec![Run::bold("Høringsuttalelse"), Run::regular(" – reguleringsplan for Ørsta")] },
                Line { runs: vec![Run::bold("uttalelse"), Run::regular("r fra naboer på Åsen og Ærøy")] },
                Line::plain("Søknaden om dispensasjon er behandlet, og vedtaket kan påklages innen tre uker."),
            ],
            vec![Line::plain("Side to: blåbærsyltetøy, grønnsåpe og ÆØÅ æøå.")],
        ],
        flavor,
        word_gaps_by_positioning: by_positioning,
        use_form_xobject: in_form,
    }
}

#[test]
fn every_synthetic_flavor_round_trips() {
    let expected = [
        "Høringsuttalelse – reguleringsplan for Ørsta\nuttalelser fra naboer på Åsen og Ærøy\n\
         Søknaden om dispensasjon er behandlet, og vedtaket kan påklages innen tre uker.",
        "Side to: blåbærsyltetøy, grønnsåpe og ÆØÅ æøå.",
    ];
    for flavor in [
        FontFlavor::WinAnsiHelvetica,
        FontFlavor::MacRomanTimes,
        FontFlavor::StandardWithDifferences,
        FontFlavor::Type0IdentityH,
    ] {
        for (by_positioning, in_form) in
            [(false, false), (true, false), (true, true), (false, true)]
        {
            let bytes = write_pdf(&sample_spec(flavor, by_positioning, in_form));
            let text = extract_pdf(&bytes, &limits()).expect("synthetic PDFs are readable");
            let label = format!("{flavor:?} positioning={by_positioning} form={in_form}");
            // MacRoman has no en dash problem, but WinAnsi-less encodings may
            // lack a glyph; all four flavors carry every character here.
            assert_eq!(text.pages, expected, "{label}");
        }
    }
}

#[test]
fn mutated_pdfs_never_panic() {
    let originals: Vec<Vec<u8>> = [
        FontFlavor::WinAnsiHelvetica,
        FontFlavor::MacRomanTimes,
        FontFlavor::StandardWithDifferences,
        FontFlavor::Type0IdentityH,
    ]
    .into_iter()
    .map(|flavor| {
        let mut doc_spec = sample_spec(flavor, true, flavor == FontFlavor::Type0IdentityH);
        doc_spec.title = "Mutert".into();
        // Uncompressed content makes byte flips hit operators and CMaps,
        // not just the deflate stream.
        let mut doc = Document::load_mem(&write_pdf(&doc_spec)).expect("fresh PDF loads");
        doc.decompress();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("in-memory save");
        bytes
    })
    .chain([pdf_with_content(
        "BT /F1 11 Tf 56 700 Td [(Hei) -278 (der)] TJ ET q 1 0 0 1 5 5 cm Q",
    )])
    .collect();
    // The crate's seeded test PRNG: the mutations are the same on every run.
    let mut random = Rng::new(0x5eed_1234_abcd_ef01);
    let deadline = Some(Instant::now() + std::time::Duration::from_secs(120));
    for round in 0..400 {
        let mut bytes = originals[round % originals.len()].clone();
        match random.index(4) {
            0 => bytes.truncate(random.index(bytes.len())),
            1 => {
                for _ in 0..1 + random.index(20) {
                    let at = random.index(bytes.len());
                    if let Some(byte) = bytes.get_mut(at) {
                        *byte ^= 1 << random.index(8);
                    }
                }
            }
            2 => {
                // Overwrite a short span with digits and delimiters, which
                // turns numbers into huge ones and breaks structure.
                let at = random.index(bytes.len());
                for offset in 0..random.index(16) {
                    if let Some(byte) = bytes.get_mut(at + offset) {
                        *byte = b"9999999999[]<>()/ -."[random.index(20)];
                    }
                }
            }
            _ => {
                let at = random.index(bytes.len());
                let len = random.index(64);
                let end = (at + len).min(bytes.len());
                bytes.drain(at..end);
            }
        }
        let _ = extract_pdf(
            &bytes,
            &PdfLimits {
                max_pages: 100,
                deadline,
            },
        );
    }
}

#[test]
fn files_that_need_a_user_password_are_encrypted_too() {
    let mut doc = Document::load_mem(&pdf_with_content("BT /F1 11 Tf 56 700 Td (Hemmelig) Tj ET"))
        .expect("loads");
    let id = Object::String(vec![7; 16], lopdf::StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);
    let version = lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "eier",
        user_password: "bruker",
        key_length: 128,
        permissions: lopdf::Permissions::PRINTABLE,
    };
    let state = lopdf::EncryptionState::try_from(version).expect("valid settings");
    doc.encrypt(&state).expect("encrypts");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("in-memory save");
    let result = extract_pdf(&bytes, &limits());
    assert!(matches!(result, Err(PdfError::Encrypted)), "{result:?}");
}

#[test]
fn a_form_that_draws_itself_is_drawn_once() {
    let mut doc = Document::load_mem(&pdf_with_content("q /Fm0 Do Q")).expect("loads");
    let pages_id = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("pages");
    let form_id = doc.new_object_id();
    let resources = doc
        .get_dictionary_mut(pages_id)
        .and_then(|pages| pages.get_mut(b"Resources"))
        .and_then(Object::as_dict_mut)
        .expect("inherited resources");
    resources.set("XObject", dictionary! { "Fm0" => form_id });
    let form_resources = resources.clone();
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => form_resources,
        },
        b"BT /F1 11 Tf 56 700 Td (Skjema) Tj ET /Fm0 Do".to_vec(),
    );
    doc.objects.insert(form_id, Object::Stream(form));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("in-memory save");
    let text = extract_pdf(&bytes, &limits()).expect("readable");
    assert_eq!(text.pages, vec!["Skjema".to_string()]);
}
