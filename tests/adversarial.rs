//! An adversarial corpus, built here by the tests (no committed binaries): the attacks an
//! overnight scan has to survive. Each one that once broke a scan is guarded where it broke;
//! the ones that always held are kept holding. Memory is the scan's own peak resident set:
//! the kernel's high-water mark of the child's address space (`VmHWM`), read every 10 ms
//! while it runs (`wait4`'s `ru_maxrss` would not do: it counts the test process's own peak,
//! which the child shared until it started arkivar).

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use arkivar::extract::Limits;
use arkivar::pipeline::{scan, ScanOptions};

const MIB: u64 = 1024 * 1024;

/// A run of the `arkivar` binary: its exit status, peak resident memory in MiB, and stderr.
struct Measured {
    status: ExitStatus,
    peak_mib: f64,
    stderr: String,
}

/// Runs `arkivar ARGS`, waiting at most `limit`, and measures its peak memory.
fn run_measured(args: &[&std::ffi::OsStr], limit: Duration) -> Measured {
    let log = tempfile::NamedTempFile::new().unwrap();
    // `spawn` returns once the child runs arkivar: from here its address space is its own.
    let mut child = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(kib) = fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        }) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("arkivar {args:?} ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(peak_kib > 0, "no VmHWM read");
    eprintln!("arkivar {args:?}: peak {:.0} MiB", peak_kib as f64 / 1024.0);
    Measured {
        status,
        peak_mib: peak_kib as f64 / 1024.0,
        stderr: fs::read_to_string(log.path()).unwrap_or_default(),
    }
}

/// `arkivar scan EXPORT -o OUT --no-embed --quiet EXTRA…`, measured; it must succeed.
fn scan_measured(export: &Path, out: &Path, extra: &[&str]) -> Measured {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "scan".as_ref(),
        export.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--no-embed".as_ref(),
        "--quiet".as_ref(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let run = run_measured(&args, Duration::from_secs(300));
    assert!(run.status.success(), "{}", run.stderr);
    run
}

/// Every column of every row as text, keyed by doc_id (for assertions on any column).
fn rows(out: &Path) -> HashMap<String, HashMap<String, String>> {
    use arrow::util::display::array_value_to_string;
    let mut rows = HashMap::new();
    for batch in common::review_batches(out) {
        let schema = batch.schema();
        for i in 0..batch.num_rows() {
            let row: HashMap<String, String> = schema
                .fields()
                .iter()
                .zip(batch.columns())
                .map(|(f, c)| (f.name().clone(), array_value_to_string(c, i).unwrap()))
                .collect();
            let previous = rows.insert(row["doc_id"].clone(), row);
            assert!(previous.is_none(), "a doc_id twice");
        }
    }
    rows
}

/// One journalpost of a Noark 5 export, with a document file.
fn journalpost(i: usize, reference: &str, title: &str) -> String {
    format!(
        r#"<registrering xsi:type="journalpost"><systemID>r{i}</systemID>
<dokumentbeskrivelse><systemID>d{i}</systemID><tittel>Dokument {i}</tittel>
<dokumentobjekt><systemID>o{i}</systemID><versjonsnummer>1</versjonsnummer><referanseDokumentfil>{reference}</referanseDokumentfil></dokumentobjekt>
</dokumentbeskrivelse><registreringsID>2024/{i}</registreringsID><tittel>{title}</tittel><journalposttype>Inngående dokument</journalposttype>
</registrering>
"#
    )
}

const ARKIV_START: &str = r#"<arkiv xmlns="http://www.arkivverket.no/standarder/noark5/arkivstruktur" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<systemID>a</systemID><tittel>Test</tittel>
<arkivdel><systemID>ad</systemID><tittel>Sakarkiv</tittel>
<mappe xsi:type="saksmappe"><systemID>m</systemID><mappeID>2024/1</mappeID><tittel>Mappe</tittel>
"#;
const ARKIV_END: &str = "</mappe></arkivdel></arkiv>\n";

/// Writes `n` bytes of `unit` repeated, streaming.
fn repeat_into(w: &mut impl Write, unit: &[u8], n: u64) {
    let block: Vec<u8> = unit.iter().copied().cycle().take(1 << 20).collect();
    let mut left = n;
    while left > 0 {
        let k = left.min(block.len() as u64) as usize;
        w.write_all(&block[..k]).unwrap();
        left -= k as u64;
    }
}

/// A zip package (DOCX when it has `word/document.xml`).
fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn docx(body: &[u8]) -> Vec<u8> {
    package(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", body),
    ])
}

/// A PDF written object by object, with a correct cross-reference table: for structures no
/// PDF library would write (cycles, lies about lengths).
fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for o in offsets {
        let _ = writeln!(table, "{o:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

fn stream(dict: &str, data: &str) -> Vec<u8> {
    format!(
        "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
        data.len()
    )
    .into_bytes()
}

/// A PDF of `pages` tiny pages sharing one content stream: a small file of many objects.
fn many_pages_pdf(pages: usize) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", i + 4))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        stream("", "BT ET"),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>".to_vec(),
        );
    }
    raw_pdf(&objects)
}

const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

#[test]
fn a_gigantic_text_node_tag_or_gap_in_arkivstruktur_costs_no_memory() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    fs::create_dir_all(export.join("dokumenter")).unwrap();
    for i in 0..4 {
        fs::write(
            export.join(format!("dokumenter/{i}.txt")),
            format!("Brev nummer {i} om byggesak."),
        )
        .unwrap();
    }
    let size = 96 * MIB;
    let mut w = BufWriter::new(fs::File::create(export.join("arkivstruktur.xml")).unwrap());
    w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .unwrap();
    w.write_all(ARKIV_START.as_bytes()).unwrap();
    // A title of 96 MiB, in UTF-8 that the cut must not split.
    let reg = journalpost(0, "dokumenter/0.txt", "TITLE");
    let (before, after) = reg.split_once("TITLE").unwrap();
    w.write_all(before.as_bytes()).unwrap();
    repeat_into(&mut w, "Søknad æøå ".as_bytes(), size);
    w.write_all(after.as_bytes()).unwrap();
    // 96 MiB of white space between two elements.
    repeat_into(&mut w, b" \n", size);
    w.write_all(journalpost(1, "dokumenter/1.txt", "Etter mellomrommet").as_bytes())
        .unwrap();
    // 96 MiB inside an element nobody reads, and in an attribute.
    w.write_all(b"<ukjentElement>").unwrap();
    repeat_into(&mut w, b"x", size);
    w.write_all(b"</ukjentElement><annet verdi=\"").unwrap();
    repeat_into(&mut w, b"y", size);
    w.write_all(b"\"/>").unwrap();
    w.write_all(journalpost(2, "dokumenter/2.txt", "Etter det ukjente").as_bytes())
        .unwrap();
    w.write_all(journalpost(3, "dokumenter/3.txt", "Siste").as_bytes())
        .unwrap();
    w.write_all(ARKIV_END.as_bytes()).unwrap();
    w.flush().unwrap();
    drop(w);

    let out = dir.path().join("out");
    let run = scan_measured(&export, &out, &["--threads", "2"]);
    // Before the cut, the title alone cost 7.4 GB at 1 GiB; the file is 384 MiB here.
    assert!(run.peak_mib < 150.0, "scan peak {:.0} MiB", run.peak_mib);
    let rows = rows(&out);
    assert_eq!(rows.len(), 4);
    let title = &rows["o0"]["registrering_title"];
    assert!(
        title.len() <= 8 * 1024 && title.starts_with("Søknad æøå"),
        "{}",
        title.len()
    );
    assert_eq!(rows["o1"]["registrering_title"], "Etter mellomrommet");
    assert_eq!(rows["o2"]["registrering_title"], "Etter det ukjente");
    assert_eq!(rows["o3"]["extract_status"], "ok");
    let problems = fs::read_to_string(out.join("_problems.jsonl")).unwrap();
    assert!(problems.contains("skipped unread"), "{problems}");
    assert!(problems.contains("tittel is longer than"), "{problems}");

    let run = run_measured(
        &["inspect".as_ref(), export.as_os_str()],
        Duration::from_secs(300),
    );
    assert!(run.peak_mib < 150.0, "inspect peak {:.0} MiB", run.peak_mib);
}

#[test]
fn office_bombs_read_at_once_stay_small() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    fs::create_dir_all(&export).unwrap();
    // 64 MiB bodies that compress to a few hundred KB: one text run, and paragraphs of markup.
    let mut run = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
    run.extend(std::iter::repeat_n(b'a', 64 << 20));
    run.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    let run = docx(&run);
    let mut markup = b"<w:document><w:body>".to_vec();
    while markup.len() < 64 << 20 {
        markup.extend_from_slice(b"<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>");
    }
    markup.extend_from_slice(b"<w:p><w:r><w:t>Vedtak</w:t></w:r></w:p></w:body></w:document>");
    let markup = docx(&markup);
    for i in 0..3 {
        fs::write(export.join(format!("run-{i}.docx")), &run).unwrap();
        fs::write(export.join(format!("markup-{i}.docx")), &markup).unwrap();
    }
    let out = dir.path().join("out");
    let measured = scan_measured(&export, &out, &["--threads", "4"]);
    // Read whole, four such bodies in flight took 3.9 GB at 250 MiB each.
    assert!(
        measured.peak_mib < 150.0,
        "peak {:.0} MiB",
        measured.peak_mib
    );
    let rows = rows(&out);
    for i in 0..3 {
        assert_eq!(rows[&format!("markup-{i}.docx")]["extract_status"], "ok");
        let run = &rows[&format!("run-{i}.docx")];
        assert_eq!(run["extract_status"], "ok");
    }
}

#[test]
fn documents_in_flight_share_one_memory_budget() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("tekster");
    fs::create_dir_all(&export).unwrap();
    // Windows-1252 text: decoding makes a second copy of each file.
    let mut text = Vec::new();
    while text.len() < 40 << 20 {
        text.extend_from_slice(b"S\xf8knad om st\xf8tte til bygging av garasje. ");
    }
    for i in 0..6 {
        fs::write(export.join(format!("{i}.txt")), &text).unwrap();
    }
    drop(text);
    let out = dir.path().join("out");
    let measured = scan_measured(&export, &out, &["--threads", "3", "--memory-mib", "130"]);
    // Three such files read at once hold about 3 × 130 MB; the budget lets one in at a time.
    assert!(
        measured.peak_mib < 230.0,
        "peak {:.0} MiB",
        measured.peak_mib
    );
    assert_eq!(rows(&out).len(), 6);

    // A PDF of many small objects costs twenty times its size: its trailer says how many.
    let pdfs = dir.path().join("pdf");
    fs::create_dir_all(&pdfs).unwrap();
    let pdf = many_pages_pdf(100_000);
    for i in 0..3 {
        fs::write(pdfs.join(format!("{i}.pdf")), &pdf).unwrap();
    }
    let out = dir.path().join("out-pdf");
    let measured = scan_measured(&pdfs, &out, &["--threads", "3", "--memory-mib", "400"]);
    // Three at once took about 700 MiB.
    assert!(
        measured.peak_mib < 400.0,
        "peak {:.0} MiB",
        measured.peak_mib
    );
}

#[test]
fn every_format_obeys_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("filer");
    fs::create_dir_all(&export).unwrap();
    let mut html = String::from("<html><body>");
    for i in 0..5000 {
        let _ = write!(html, "<p>Avsnitt {i} i saken.</p>");
    }
    html.push_str("</body></html>");
    fs::write(export.join("side.html"), html).unwrap();
    fs::write(
        export.join("latin1.txt"),
        b"S\xf8knad om st\xf8tte.\n".repeat(1000),
    )
    .unwrap();
    let mut body = b"<w:document><w:body>".to_vec();
    for _ in 0..5000 {
        body.extend_from_slice(b"<w:p><w:r><w:t>ord</w:t></w:r></w:p>");
    }
    body.extend_from_slice(b"</w:body></w:document>");
    fs::write(export.join("brev.docx"), docx(&body)).unwrap();
    fs::write(
        export.join("brev.pdf"),
        common::text_pdf("Vedtak om tilskudd."),
    )
    .unwrap();

    let out = dir.path().join("out");
    let mut opts = ScanOptions::new(&export, &out);
    opts.limits = Limits {
        timeout: Duration::ZERO,
        ..Limits::default()
    };
    scan(&opts).unwrap();
    let rows = rows(&out);
    for name in ["side.html", "latin1.txt", "brev.docx", "brev.pdf"] {
        assert_eq!(rows[name]["extract_status"], "timeout", "{name}");
    }
}

#[test]
fn file_names_that_are_not_utf8_are_read_and_kept_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    fs::create_dir_all(&export).unwrap();
    for name in [&b"brev-\xe6.txt"[..], &b"brev-\xf8.txt"[..]] {
        fs::write(
            export.join(std::ffi::OsStr::from_bytes(name)),
            "Søker Kari Nordmann, fødselsnummer 01019012138, ber om svar.",
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    scan(&ScanOptions::new(&export, &out)).unwrap();
    let rows = rows(&out);
    let mut ids: Vec<_> = rows.keys().cloned().collect();
    ids.sort();
    assert_eq!(ids, [r"brev-\xE6.txt", r"brev-\xF8.txt"]);
    for row in rows.values() {
        assert_eq!(row["extract_status"], "ok");
        assert!(row["pii_kinds"].contains("fodselsnummer"), "{row:?}");
    }
}

#[test]
fn a_named_pipe_is_never_opened_and_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    fs::create_dir_all(export.join("dokumenter")).unwrap();
    fs::write(export.join("dokumenter/brev.txt"), "Et brev om byggesak.").unwrap();
    let pipe = std::ffi::CString::new(
        export
            .join("dokumenter/pipe.txt")
            .to_str()
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(pipe.as_ptr(), 0o600) }, 0);
    let xml = format!(
        "{ARKIV_START}{}{}{ARKIV_END}",
        journalpost(0, "dokumenter/brev.txt", "Brev"),
        journalpost(1, "dokumenter/pipe.txt", "Rør")
    );
    fs::write(export.join("arkivstruktur.xml"), xml).unwrap();

    // Reading a pipe blocks forever: the scan must finish without it.
    let out = dir.path().join("out");
    scan_measured(&export, &out, &["--threads", "2"]);
    let rows = rows(&out);
    assert_eq!(rows["o1"]["extract_status"], "unsafe_path");
    assert!(rows["o1"]["extract_error"].contains("not a regular file"));

    let report = arkivar::inspect::inspect(&export).unwrap();
    let shown = report.to_string();
    assert_eq!(shown.matches("pipe.txt").count(), 1, "{shown}");
    assert!(shown.contains("not_regular_file"), "{shown}");
    assert!(!shown.contains("unreferenced_file"), "{shown}");
    assert!(!shown.contains("missing_file"), "{shown}");
}

#[test]
fn a_fodselsnummer_in_fullwidth_digits_is_found_and_masked() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    fs::create_dir_all(&export).unwrap();
    let fullwidth: String = "01019012138"
        .chars()
        .map(|c| char::from_u32(0xFF10 + c.to_digit(10).unwrap()).unwrap())
        .collect();
    fs::write(
        export.join("brev.txt"),
        format!("Søker Kari Nordmann, fødselsnummer {fullwidth}, ber om svar."),
    )
    .unwrap();
    let out = dir.path().join("out");
    scan(&ScanOptions::new(&export, &out)).unwrap();
    let row = &rows(&out)["brev.txt"];
    assert!(row["pii_kinds"].contains("fodselsnummer"), "{row:?}");
    for column in ["text_preview", "pii_evidence"] {
        assert!(
            !row[column].contains(&fullwidth[18..]),
            "{column}: {}",
            row[column]
        );
        assert!(!row[column].contains("12138"), "{column}: {}", row[column]);
    }
}

#[test]
fn the_attacks_that_held_still_hold() {
    let dir = tempfile::tempdir().unwrap();
    let secret_dir = dir.path().join("utenfor");
    fs::create_dir_all(&secret_dir).unwrap();
    let secret = secret_dir.join("hemmelig.txt");
    fs::write(&secret, "HEMMELIG-INNHOLD-SOM-ALDRI-SKAL-LESES").unwrap();
    let export = dir.path().join("export");
    let docs = export.join("dokumenter");
    fs::create_dir_all(&docs).unwrap();
    let secret_url = format!("file://{}", secret.display());

    let laughs = "<!DOCTYPE d [<!ENTITY a \"hahahahaha\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\
                  <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\
                  <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\
                  <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\"><!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>";
    let mut cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "entity-bomb.docx",
            docx(format!("<?xml version=\"1.0\"?>{laughs}<w:document><w:body><w:p><w:r><w:t>Vedtak &h;</w:t></w:r></w:p></w:body></w:document>").as_bytes()),
            &["ok"],
        ),
        (
            "xxe.docx",
            docx(format!("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"{secret_url}\">]><w:document><w:body><w:p><w:r><w:t>Vedtak &x;</w:t></w:r></w:p></w:body></w:document>").as_bytes()),
            &["ok"],
        ),
        (
            "deep.docx",
            docx(format!("<w:document><w:body>{}<w:p><w:r><w:t>Vedtak</w:t></w:r></w:p>{}</w:body></w:document>", "<w:sdt>".repeat(20_000), "</w:sdt>".repeat(20_000)).as_bytes()),
            &["ok"],
        ),
        (
            "page-tree-cycle.pdf",
            raw_pdf(&[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
                stream("", "BT /F1 12 Tf 72 700 Td (Vedtak om tilskudd til lag og foreninger) Tj ET"),
                FONT.as_bytes().to_vec(),
            ]),
            &["ok", "corrupt", "needs_ocr"],
        ),
        (
            "xobject-cycle.pdf",
            raw_pdf(&[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> >>".to_vec(),
                stream("", "BT /F1 12 Tf 72 700 Td (Vedtak om tilskudd til lag og foreninger) Tj ET /X1 Do"),
                stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X1 5 0 R >> >>", "/X1 Do"),
                FONT.as_bytes().to_vec(),
            ]),
            &["ok", "corrupt", "needs_ocr"],
        ),
        (
            "absurd-length.pdf",
            raw_pdf(&[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
                b"<< /Length 99999999999999 >>\nstream\nBT ET\nendstream".to_vec(),
            ]),
            &["ok", "corrupt", "needs_ocr", "empty"],
        ),
        (
            "deep-array.pdf",
            raw_pdf(&[
                b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
                format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Junk {}{} >>", "[".repeat(20_000), "]".repeat(20_000)).into_bytes(),
            ]),
            &["ok", "corrupt", "needs_ocr", "empty"],
        ),
    ];
    // 100 000 pages sharing one content stream: over the page limit, never laid out.
    cases.push(("many-pages.pdf", many_pages_pdf(100_000), &["too_large"]));
    // A zip bomb: 300 MiB of zeros in the body, over the 256 MiB limit.
    let mut zeros = b"<w:document><w:body><w:p><w:r><w:t>".to_vec();
    zeros.resize(300 << 20, b'0');
    cases.push(("zip-bomb.docx", docx(&zeros), &["too_large"]));
    drop(zeros);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, docs.join("lenke.txt")).unwrap();

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // The export's own XML carries the same bombs: a billion laughs, an external entity, and
    // 20 000 levels of nesting.
    let _ = writeln!(
        xml,
        "<!DOCTYPE arkiv [<!ENTITY x SYSTEM \"{secret_url}\">{}]>",
        &laughs["<!DOCTYPE d [".len()..laughs.len() - 2]
    );
    xml.push_str(ARKIV_START);
    for (i, (name, bytes, _)) in cases.iter().enumerate() {
        fs::write(docs.join(name), bytes).unwrap();
        xml.push_str(&journalpost(
            i,
            &format!("dokumenter/{name}"),
            &format!("Sak &x; &h; {i}"),
        ));
    }
    let link = cases.len();
    xml.push_str(&journalpost(link, "dokumenter/lenke.txt", "Lenke"));
    let _ = write!(xml, "{}{}", "<dyp>".repeat(20_000), "</dyp>".repeat(20_000));
    xml.push_str(ARKIV_END);
    fs::write(export.join("arkivstruktur.xml"), xml).unwrap();

    let out = dir.path().join("out");
    let run = scan_measured(&export, &out, &["--threads", "2"]);
    assert!(run.peak_mib < 400.0, "peak {:.0} MiB", run.peak_mib);
    let rows = rows(&out);
    assert_eq!(rows.len(), cases.len() + 1);
    for (i, (name, _, allowed)) in cases.iter().enumerate() {
        let status = &rows[&format!("o{i}")]["extract_status"];
        assert!(allowed.contains(&status.as_str()), "{name}: {status}");
    }
    assert_eq!(rows[&format!("o{link}")]["extract_status"], "unsafe_path");
    // Nothing of the file outside the export reached the table, the log or the report.
    for part in arkivar::output::parquet::part_files(&out).unwrap() {
        let bytes = fs::read(part).unwrap();
        assert!(!bytes.windows(9).any(|w| w == b"HEMMELIG-"), "in the table");
    }
    let problems = fs::read_to_string(out.join("_problems.jsonl")).unwrap_or_default();
    assert!(!problems.contains("HEMMELIG"));
    assert!(!rows
        .values()
        .any(|r| r.values().any(|v| v.contains("HEMMELIG"))));
    let report = arkivar::inspect::inspect(&export).unwrap().to_string();
    assert!(!report.contains("HEMMELIG"), "{report}");
}

#[test]
fn a_scan_killed_at_any_moment_resumes_to_every_row_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("brev");
    fs::create_dir_all(&export).unwrap();
    let n = 12_000;
    for i in 0..n {
        fs::write(
            export.join(format!("{i:05}.txt")),
            format!("Brev {i} om søknad om byggetillatelse."),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let scan_args = |extra: &str| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_arkivar"));
        c.arg("scan")
            .arg(&export)
            .arg("-o")
            .arg(&out)
            .args(["--no-embed", "--quiet", "--part-rows", "500"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if !extra.is_empty() {
            c.arg(extra);
        }
        c
    };
    // Killed three times, after 1, 3 and 6 finished parts (or as the scan ends).
    for (round, parts) in [1usize, 3, 6].into_iter().enumerate() {
        let mut child = scan_args(if round == 0 { "" } else { "--resume" })
            .spawn()
            .unwrap();
        let started = Instant::now();
        loop {
            let done = arkivar::output::parquet::part_files(&out).map_or(0, |p| p.len());
            if done >= parts || child.try_wait().unwrap().is_some() {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "no progress");
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let status = scan_args("--resume").status().unwrap();
    assert!(status.success());
    // `rows` fails on a doc_id written twice.
    assert_eq!(rows(&out).len(), n);
}

#[test]
fn inspect_reads_a_huge_document_in_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    fs::create_dir_all(export.join("dokumenter")).unwrap();
    // 512 MiB of zeros, sparse on disk: cheap to make, and read like any file.
    fs::File::create(export.join("dokumenter/stor.bin"))
        .unwrap()
        .set_len(512 * MIB)
        .unwrap();
    let xml = format!(
        "{ARKIV_START}{}{ARKIV_END}",
        journalpost(0, "dokumenter/stor.bin", "Stor fil")
    );
    fs::write(export.join("arkivstruktur.xml"), xml).unwrap();
    let run = run_measured(
        &["inspect".as_ref(), export.as_os_str()],
        Duration::from_secs(300),
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.peak_mib < 100.0, "inspect peak {:.0} MiB", run.peak_mib);
}
