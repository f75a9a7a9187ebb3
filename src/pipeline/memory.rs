//! The memory that all documents being read hold together.
//!
//! Each document's limits ([`crate::extract::Limits`]) bound what one file may cost; with many
//! worker threads that bound multiplies. A [`MemoryBudget`] bounds the sum: before a worker
//! reads a file it reserves the file's working set (its bytes, the decoded copy and what the
//! parser builds: [`working_set`]), waiting while the budget is spent, and gives it back when
//! the text is extracted. Reservations are served first come, first served, so a large file is
//! not starved by a stream of small ones; one larger than the whole budget runs alone.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard};

/// The budget when none is given (`--memory-mib`): 1 GiB.
pub const DEFAULT_BUDGET: u64 = 1024 * 1024 * 1024;

/// How many times its size a file costs while it is read and parsed: the bytes, the text
/// decoded from them, and the text extracted (an HTML page's text and output). Office formats
/// are streamed from the package and cost less; PDFs cost more (see [`PDF_OBJECT_BYTES`]).
pub const WORKING_SET_FACTOR: u64 = 3;

/// What one PDF object costs once parsed, on top of the file's bytes: 100 000 tiny page
/// objects in a 12 MB file took 240 MB (about 2.2 KiB each), so a PDF of many small objects
/// costs 20 times its size where one of a few large images costs about its size.
pub const PDF_OBJECT_BYTES: u64 = 3 * 1024;

/// The fewest bytes an object of a PDF is taken to take when its trailer does not say how
/// many there are: a pessimistic guess, so an unknown PDF reserves about 24 times its size.
const PDF_MIN_OBJECT_SIZE: u64 = 128;

/// The memory reserved for reading the file at `path` of `size` bytes: [`WORKING_SET_FACTOR`]
/// times its size, plus [`PDF_OBJECT_BYTES`] for each object a PDF's trailer counts (`/Size`,
/// read from the file's last 4 KiB). A file that cannot be peeked at is taken as text.
pub fn working_set(path: &Path, size: u64) -> u64 {
    let base = size.saturating_mul(WORKING_SET_FACTOR);
    match pdf_objects(path, size) {
        Ok(Some(objects)) => base.saturating_add(objects.saturating_mul(PDF_OBJECT_BYTES)),
        _ => base,
    }
}

/// The object count of a PDF (`None` for any other file).
fn pdf_objects(path: &Path, size: u64) -> std::io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    let mut head = [0u8; 5];
    if file.read_exact(&mut head).is_err() || &head != b"%PDF-" {
        return Ok(None);
    }
    let tail_len = size.min(4096);
    file.seek(SeekFrom::Start(size - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    file.take(tail_len).read_to_end(&mut tail)?;
    let counted = tail.windows(5).rposition(|w| w == b"/Size").and_then(|at| {
        let digits: String = tail[at + 5..]
            .iter()
            .map(|&b| b as char)
            .skip_while(|c| c.is_ascii_whitespace())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    });
    Ok(Some(counted.unwrap_or(size / PDF_MIN_OBJECT_SIZE)))
}

/// A budget of bytes shared by the workers of one run.
#[derive(Debug)]
pub struct MemoryBudget {
    limit: u64,
    queue: Mutex<Queue>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Queue {
    /// Bytes reserved now.
    used: u64,
    /// The next ticket to hand out.
    next: u64,
    /// The ticket whose turn it is.
    serving: u64,
}

/// Bytes held from a [`MemoryBudget`]; given back when dropped (a panic included).
#[derive(Debug)]
pub struct Reservation<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
}

impl MemoryBudget {
    /// A budget of `limit` bytes (at least one).
    pub fn new(limit: u64) -> MemoryBudget {
        MemoryBudget {
            limit: limit.max(1),
            queue: Mutex::new(Queue::default()),
            changed: Condvar::new(),
        }
    }

    /// The budget in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Bytes reserved now.
    pub fn used(&self) -> u64 {
        self.lock().used
    }

    /// Waits for its turn and for `bytes` to fit (a request over the limit waits for the whole
    /// budget), then holds them until the reservation is dropped.
    pub fn reserve(&self, bytes: u64) -> Reservation<'_> {
        let bytes = bytes.min(self.limit);
        let mut q = self.lock();
        let ticket = q.next;
        q.next += 1;
        while q.serving != ticket || q.used + bytes > self.limit {
            q = self.changed.wait(q).unwrap_or_else(|p| p.into_inner());
        }
        q.used += bytes;
        q.serving += 1;
        drop(q);
        // The next in line may fit too.
        self.changed.notify_all();
        Reservation {
            budget: self,
            bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A reservation at least this large hands the memory its document freed back to the kernel
/// when it ends.
const TRIM_AT: u64 = 64 * 1024 * 1024;

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.bytes >= TRIM_AT {
            release_free_memory();
        }
        self.budget.lock().used -= self.bytes;
        self.budget.changed.notify_all();
    }
}

/// Returns the allocator's free memory to the kernel. glibc keeps what a thread freed in that
/// thread's arena: without this, three workers that each parsed one large PDF in turn hold
/// three PDFs' worth of resident memory, though only one was ever in use at a time.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free pages back; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[test]
    fn reservations_never_exceed_the_budget_and_all_are_served() {
        let budget = MemoryBudget::new(100);
        let peak = AtomicU64::new(0);
        let served = AtomicU64::new(0);
        std::thread::scope(|s| {
            for t in 0..8u64 {
                let (budget, peak, served) = (&budget, &peak, &served);
                s.spawn(move || {
                    for i in 0..20u64 {
                        // 150 is over the limit: it must run alone.
                        let bytes = if (t + i) % 7 == 0 { 150 } else { 10 + t * 5 };
                        let r = budget.reserve(bytes);
                        peak.fetch_max(budget.used(), Ordering::SeqCst);
                        std::thread::sleep(Duration::from_micros(200));
                        drop(r);
                        served.fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100);
        assert_eq!(served.load(Ordering::SeqCst), 160);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn a_pdf_reserves_for_its_objects() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(
            &pdf,
            b"%PDF-1.4\n...\ntrailer\n<< /Size 1000 /Root 1 0 R >>\n%%EOF",
        )
        .unwrap();
        let size = std::fs::metadata(&pdf).unwrap().len();
        assert_eq!(working_set(&pdf, size), 3 * size + 1000 * PDF_OBJECT_BYTES);
        let txt = dir.path().join("a.txt");
        std::fs::write(&txt, b"hei").unwrap();
        assert_eq!(working_set(&txt, 3), 9);
        assert_eq!(working_set(&dir.path().join("borte"), 3), 9);
    }

    #[test]
    fn a_panic_gives_the_reservation_back() {
        let budget = MemoryBudget::new(10);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _r = budget.reserve(10);
            panic!("a bug while reading");
        }));
        assert!(caught.is_err());
        assert_eq!(budget.used(), 0);
        drop(budget.reserve(10));
    }
}
