//! Progress and cancellation of long work (imports, discovery), shared between the thread doing the
//! work and whoever watches it (the CLI's progress line, the app's progress bar and Cancel button).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::{Error, Result};

/// A handle on one piece of long work. Clones share the same counters.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
    /// How many times `check` was called.
    checks: AtomicU64,
    /// Cancel at this check (1-based); 0: never by itself.
    cancel_at: AtomicU64,
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// A handle nobody watches or cancels, for callers that just want the answer: every long
    /// computation has one entry point that takes a `&Progress`, and this is what quick callers
    /// (tests, the CLI's short commands) pass.
    pub fn none() -> Progress {
        Progress::default()
    }

    /// A handle that cancels itself at its `n`-th check (1-based): tests use it to stop work at
    /// every point where it can stop and see that each leaves everything as it was.
    pub fn cancelling_at(n: u64) -> Progress {
        let p = Progress::new();
        p.inner.cancel_at.store(n, Ordering::Relaxed);
        p
    }

    /// How many times the work checked for cancellation so far.
    pub fn checks(&self) -> u64 {
        self.inner.checks.load(Ordering::Relaxed)
    }

    /// Asks the work to stop; it stops at its next check and changes nothing.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once `cancel` was called.
    pub fn check(&self, what: &str) -> Result<()> {
        let n = self.inner.checks.fetch_add(1, Ordering::Relaxed) + 1;
        let at = self.inner.cancel_at.load(Ordering::Relaxed);
        if at != 0 && n >= at {
            self.cancel();
        }
        if self.is_cancelled() { Err(Error::Cancelled(what.to_string())) } else { Ok(()) }
    }

    /// The size of the work (bytes of input, usually); 0 while unknown.
    pub fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
    }

    /// Starts counting the work done again (the work is being redone another way).
    pub fn reset_done(&self) {
        self.inner.done.store(0, Ordering::Relaxed);
    }

    pub fn advance(&self, amount: u64) {
        self.inner.done.fetch_add(amount, Ordering::Relaxed);
    }

    /// (done, total).
    pub fn position(&self) -> (u64, u64) {
        (self.inner.done.load(Ordering::Relaxed), self.inner.total.load(Ordering::Relaxed))
    }
}
