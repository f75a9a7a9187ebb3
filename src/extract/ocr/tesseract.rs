//! Tesseract 5 in process, through its C API (`tesseract-sys`): one engine per worker thread,
//! loaded once and reused for every page that thread reads.
//!
//! Tesseract's own threads are not used: the scan's worker pool runs pages side by side, one
//! engine each. Debian's Tesseract is built with OpenMP and asks for its own thread teams
//! (`num_threads` clauses), which only `OMP_THREAD_LIMIT` bounds, and the OpenMP runtime reads
//! that when the library loads, before `main`: so the `arkivar` program re-runs itself with
//! `OMP_THREAD_LIMIT=1` when it is not set ([`limit_openmp_threads`]). Without it, a page ran on
//! OpenMP threads spinning against the other workers: 8.4 s for a page the `tesseract`
//! program reads in 1.2 s with the limit.

/// The environment variable that bounds OpenMP's threads.
pub const OMP_THREAD_LIMIT: &str = "OMP_THREAD_LIMIT";

/// Makes sure this process runs with `OMP_THREAD_LIMIT` set (to 1 unless the user set it):
/// where it is unset, replaces the process with the same program, arguments and environment
/// plus `OMP_THREAD_LIMIT=1`. Call first thing in `main`. Returns only when the variable is
/// set, or when the re-run could not start (then OCR is slower, not wrong).
pub fn limit_openmp_threads() {
    if std::env::var_os(OMP_THREAD_LIMIT).is_some() {
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let Ok(program) = std::env::current_exe() else {
            return;
        };
        let error = std::process::Command::new(program)
            .args(std::env::args_os().skip(1))
            .env(OMP_THREAD_LIMIT, "1")
            .exec();
        eprintln!("arkivar: could not re-run with {OMP_THREAD_LIMIT}=1 ({error}); OCR may be slow");
    }
}

use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use tesseract_sys as sys;

use super::page::{PageError, PageImage};

/// Text and word confidences of one recognised page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    /// The recognised text (UTF-8, lines separated by `\n`).
    pub text: String,
    /// Per-word confidence, 0–1, in reading order.
    pub word_confidences: Vec<f32>,
}

/// One loaded Tesseract engine (model files read once).
struct Engine {
    api: *mut sys::TessBaseAPI,
    lang: String,
}

impl Engine {
    fn new(lang: &str) -> Result<Engine, PageError> {
        let c_lang = CString::new(lang)
            .map_err(|_| PageError::Engine(format!("bad OCR language {lang:?}")))?;
        // SAFETY: TessBaseAPICreate returns an owned handle (never null in practice; checked);
        // Init3 with a null datapath uses the installed tessdata.
        unsafe {
            let api = sys::TessBaseAPICreate();
            if api.is_null() {
                return Err(PageError::Engine("Tesseract could not be created".into()));
            }
            let engine = Engine {
                api,
                lang: lang.to_string(),
            };
            if sys::TessBaseAPIInit3(api, std::ptr::null(), c_lang.as_ptr()) != 0 {
                return Err(PageError::Engine(format!(
                    "Tesseract could not load the language model {lang:?} (is tesseract-ocr-{} installed?)",
                    lang.split('+').next().unwrap_or(lang)
                )));
            }
            // Tesseract's diagnostics ("Estimating resolution…", "Empty page") are not for the
            // archivist's terminal: every page's outcome is in its row.
            engine.set("debug_file", "/dev/null");
            // The C API starts in single-block mode; a scanned page has a layout (letterhead,
            // paragraphs, signature, specks between them): segment it as the `tesseract`
            // program does.
            sys::TessBaseAPISetPageSegMode(api, sys::TessPageSegMode_PSM_AUTO);
            Ok(engine)
        }
    }

    fn set(&self, name: &str, value: &str) {
        let (Ok(n), Ok(v)) = (CString::new(name), CString::new(value)) else {
            return;
        };
        // SAFETY: both strings live through the call; the handle is initialised.
        unsafe {
            sys::TessBaseAPISetVariable(self.api, n.as_ptr(), v.as_ptr());
        }
    }

    fn recognise(&mut self, page: &PageImage, limit: Duration) -> Result<PageText, PageError> {
        let img = &page.gray;
        let (w, h) = (img.width() as c_int, img.height() as c_int);
        let started = Instant::now();
        // SAFETY: the pixel buffer is w*h bytes (one byte per pixel, rows of w bytes) and
        // outlives Recognize, which is the only call reading it; Clear drops Tesseract's
        // reference before the buffer goes. The monitor is created and deleted here.
        unsafe {
            sys::TessBaseAPISetImage(self.api, img.as_raw().as_ptr(), w, h, 1, w);
            if let Some(dpi) = page.dpi {
                sys::TessBaseAPISetSourceResolution(self.api, dpi.round() as c_int);
            }
            let monitor = sys::TessMonitorCreate();
            let ms = c_int::try_from(limit.as_millis()).unwrap_or(c_int::MAX);
            sys::TessMonitorSetDeadlineMSecs(monitor, ms);
            let rc = sys::TessBaseAPIRecognize(self.api, monitor);
            sys::TessMonitorDelete(monitor);
            if started.elapsed() >= limit {
                sys::TessBaseAPIClear(self.api);
                return Err(PageError::Timeout(limit));
            }
            if rc != 0 {
                sys::TessBaseAPIClear(self.api);
                return Err(PageError::Engine(
                    "Tesseract could not recognise the page".into(),
                ));
            }
            let text_ptr = sys::TessBaseAPIGetUTF8Text(self.api);
            let text = if text_ptr.is_null() {
                String::new()
            } else {
                let t = CStr::from_ptr(text_ptr).to_string_lossy().into_owned();
                sys::TessDeleteText(text_ptr);
                t
            };
            let mut word_confidences = Vec::new();
            let confs = sys::TessBaseAPIAllWordConfidences(self.api);
            if !confs.is_null() {
                let mut p = confs;
                while *p >= 0 {
                    word_confidences.push((*p as f32 / 100.0).clamp(0.0, 1.0));
                    p = p.add(1);
                }
                sys::TessDeleteIntArray(confs);
            }
            sys::TessBaseAPIClear(self.api);
            Ok(PageText {
                text,
                word_confidences,
            })
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the handle is owned by this engine and not used after this.
        unsafe {
            sys::TessBaseAPIEnd(self.api);
            sys::TessBaseAPIDelete(self.api);
        }
    }
}

thread_local! {
    /// This thread's engine, kept for the thread's life (a rayon worker lives as long as the
    /// scan's pool).
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Recognises one page with this thread's engine for `lang` (loaded on the thread's first page,
/// or again if the language changed), giving up after `limit`.
pub fn recognise(page: &PageImage, lang: &str, limit: Duration) -> Result<PageText, PageError> {
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|e| e.lang != lang) {
            *slot = None;
            *slot = Some(Engine::new(lang)?);
        }
        let engine = slot
            .as_mut()
            .ok_or_else(|| PageError::Engine("no engine".into()))?;
        engine.recognise(page, limit)
    })
}

/// Whether Tesseract can load `lang` here (a scan checks this once, before it starts, so a
/// missing language package is one clear error instead of a failed page per document).
pub fn check_language(lang: &str) -> Result<(), String> {
    Engine::new(lang).map(drop).map_err(|e| e.to_string())
}

/// The Tesseract library's version string.
pub fn version() -> String {
    // SAFETY: TessVersion returns a static NUL-terminated string.
    unsafe {
        CStr::from_ptr(sys::TessVersion())
            .to_string_lossy()
            .into_owned()
    }
}
