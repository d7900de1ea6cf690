//! Panics: how a caught one becomes a `panicked` error with its message and where it happened.
//!
//! Every place where Rust meets JS (a run, a pool job, a message-passing part, a spawned task) catches a
//! panic with `catch_unwind` (the wasm builds use `panic=unwind`; see docs/decisions/) and turns it into a
//! [`JuggleError`] with the code [`ErrorCode::Panicked`] through [`panicked`], so a panic is a rejected run,
//! never a hung page, and the instance stays usable.

use std::any::Any;
use std::sync::Mutex;

use crate::error::{ErrorCode, JuggleError};

/// The message of a panic payload, if it has one (`panic!` gives a `&str` or a `String`).
fn message_of(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

thread_local! {
    /// Where the last panic on this thread happened, with its message: `(message, file:line:column)`.
    static LAST_HERE: std::cell::RefCell<Option<(Option<String>, String)>> =
        const { std::cell::RefCell::new(None) };
}

/// Panics noted on any thread, newest last, `(message, file:line:column)`: a panic on a pool thread is
/// caught on the thread that joins (rayon carries the payload, not the place), so [`panicked`] finds it
/// here by its message when the catching thread did not panic itself. Bounded: the oldest are dropped.
static NOTED: Mutex<Vec<(Option<String>, String)>> = Mutex::new(Vec::new());

/// How many panics [`NOTED`] keeps.
const NOTED_MAX: usize = 64;

/// Adds to the panic hook a note of where the panic happened (on the panicking thread, and by message
/// for the others), for [`panicked`], then calls the hook that was there (the default one prints to
/// stderr, which goes nowhere on wasm32-unknown-unknown). Idempotent.
pub fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(location) = info.location() {
                let message = message_of(info.payload()).map(str::to_string);
                let note = (message, location.to_string());
                LAST_HERE.with(|last| *last.borrow_mut() = Some(note.clone()));
                let mut noted = NOTED
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if noted.len() >= NOTED_MAX {
                    noted.remove(0);
                }
                noted.push(note);
            }
            previous(info);
        }));
    });
}

/// Where the panic with this message happened: this thread's last panic if its message matches, else
/// the newest panic noted with that message on any thread. Taken: each note answers once.
fn location_of(message: Option<&str>) -> Option<String> {
    let here = LAST_HERE.with(|last| {
        let mut last = last.borrow_mut();
        match last.as_ref() {
            Some((noted, _)) if noted.as_deref() == message => last.take(),
            _ => None,
        }
    });
    let mut noted = NOTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let index = noted.iter().rposition(|(noted, place)| match &here {
        Some((_, here_place)) => noted.as_deref() == message && place == here_place,
        None => noted.as_deref() == message,
    });
    let from_list = index.map(|index| noted.remove(index).1);
    here.map(|(_, place)| place).or(from_list)
}

/// The error a caught panic becomes: code `panicked`, and a message that says `what` panicked, the panic's
/// own message and, when the hook noted it, where.
pub fn panicked(what: &str, payload: &(dyn Any + Send)) -> JuggleError {
    let message = message_of(payload);
    let at = location_of(message).map_or_else(String::new, |location| format!(" (at {location})"));
    JuggleError::new(
        ErrorCode::Panicked,
        format!("{what} panicked: {}{at}", message.unwrap_or("(no message)")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_a_panicked_error_with_its_message_and_place() {
        install_hook();
        let payload = std::panic::catch_unwind(|| panic!("boom {}", 42)).unwrap_err();
        let error = panicked("the test", payload.as_ref());
        assert_eq!(error.code, ErrorCode::Panicked);
        assert!(
            error.message.starts_with("the test panicked: boom 42 (at "),
            "{}",
            error.message
        );
        assert!(error.message.contains(".rs:"), "{}", error.message);
        let payload = std::panic::catch_unwind(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert!(panicked("x", payload.as_ref())
            .message
            .contains("(no message)"));
    }

    #[test]
    fn concurrent_panics_each_keep_their_own_place_even_when_caught_on_another_thread() {
        install_hook();
        let threads: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    for round in 0..50 {
                        let payload =
                            std::panic::catch_unwind(|| panic!("thread {i} round {round}"))
                                .unwrap_err();
                        let error = panicked("t", payload.as_ref());
                        assert!(error.message.contains(" (at "), "{}", error.message);
                        assert!(error.message.contains(&format!("thread {i} round {round}")));
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        // A panic carried to another thread (as rayon does) is found by its message.
        let payload = std::thread::spawn(|| panic!("carried across"))
            .join()
            .unwrap_err();
        let error = panicked("carried", payload.as_ref());
        assert!(error.message.contains("panic.rs:"), "{}", error.message);
    }
}
