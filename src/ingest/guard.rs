//! Turning a library panic into an error the caller reports in Chinese.
//!
//! calamine panics on some damaged files and polars on some expressions
//! (integer overflow in a worker thread). Readers and the expression
//! evaluator run such code through [`catch_quietly`]: the panic becomes an
//! `Err` and its English message is not printed, neither on the calling
//! thread nor on polars' worker threads while the call runs.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    /// Set while this thread runs code whose panics are caught and reported.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Guarded calls running now, on any thread (polars' workers stay quiet meanwhile).
static GUARDED: AtomicUsize = AtomicUsize::new(0);

/// Whether a panic on the current thread is one a guard catches.
fn quiet_here() -> bool {
    if CATCHING.with(Cell::get) {
        return true;
    }
    GUARDED.load(Ordering::SeqCst) > 0 && std::thread::current().name().is_some_and(|n| n.starts_with("polars"))
}

/// Run `f`, turning a panic into `Err` without the panic message on stderr
/// (the caller reports the file or expression in Chinese instead). Panics
/// elsewhere still print through the previous hook.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !quiet_here() {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    GUARDED.fetch_add(1, Ordering::SeqCst);
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.fetch_sub(1, Ordering::SeqCst);
    CATCHING.with(|c| c.set(was));
    result
}

/// The text of a caught panic, for the bracketed library detail of a message.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_nesting_keeps_the_outer_guard() {
        let r = catch_quietly(|| {
            let inner = catch_quietly(|| panic!("inner"));
            assert!(inner.is_err());
            // Still guarded after the inner call returned.
            assert!(CATCHING.with(Cell::get));
            7
        });
        assert_eq!(r.ok(), Some(7));
        let e = catch_quietly(|| -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert_eq!(panic_text(e.as_ref()), "boom 1");
        assert!(!CATCHING.with(Cell::get));
    }
}
