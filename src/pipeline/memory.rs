//! The memory that all documents being read hold together.
//!
//! Each document's limits ([`crate::extract::Limits`]) bound what one file may cost; with many
//! worker threads that bound multiplies. A [`MemoryBudget`] bounds the sum: before a worker
//! reads a file it reserves the file's working set (its bytes, the decoded copy and what the
//! parser builds: [`working_set`]), waiting while the budget is spent, and gives it back when
//! the text is extracted. Reservations are served first come, first served, so a large file is
//! not starved by a stream of small ones; one larger than the whole budget runs alone.

use std::sync::{Condvar, Mutex, MutexGuard};

/// How many times its size a file costs while it is read and parsed: the bytes, the text
/// decoded from them, and the parser's own structures (an HTML page's text and output, a
/// PDF's objects). Office formats are streamed from the package and cost their compressed size
/// plus a bounded buffer.
pub const WORKING_SET_FACTOR: u64 = 3;

/// The memory reserved for reading a file of `size` bytes.
pub fn working_set(size: u64) -> u64 {
    size.saturating_mul(WORKING_SET_FACTOR)
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

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        self.budget.lock().used -= self.bytes;
        self.budget.changed.notify_all();
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
