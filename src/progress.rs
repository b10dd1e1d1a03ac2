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
}

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
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
        if self.is_cancelled() { Err(Error::Cancelled(what.to_string())) } else { Ok(()) }
    }

    /// The size of the work (bytes of input, usually); 0 while unknown.
    pub fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
    }

    pub fn advance(&self, amount: u64) {
        self.inner.done.fetch_add(amount, Ordering::Relaxed);
    }

    /// (done, total).
    pub fn position(&self) -> (u64, u64) {
        (self.inner.done.load(Ordering::Relaxed), self.inner.total.load(Ordering::Relaxed))
    }
}
