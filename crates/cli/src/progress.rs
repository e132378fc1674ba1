//! A progress line on stderr while reading a database or checking several
//! environments takes more than a moment (indicatif). Shown only to a person:
//! the human text format, stderr a terminal, `TERM` not `dumb`; never with a
//! machine format (json, junit, sarif, github, markdown, html) or when stderr
//! is a pipe or file, so logs and CI output stay clean. It appears after
//! [`DELAY`], so a fast run prints nothing, and is cleared when done.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the progress line appears.
pub const DELAY: Duration = Duration::from_millis(300);
const TICK: Duration = Duration::from_millis(100);

/// Whether a progress line may be shown: a human format, on a terminal.
pub fn wanted(human_format: bool) -> bool {
    human_format
        && std::io::stderr().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// A spinner (or a bar counting steps) that shows itself after [`DELAY`].
/// Dropping it clears the line.
pub struct Progress {
    bar: Option<ProgressBar>,
    done: Arc<AtomicBool>,
}

impl Progress {
    /// Nothing is ever drawn.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            done: Arc::new(AtomicBool::new(true)),
        }
    }

    /// A spinner with `message`, when `enabled`.
    pub fn spinner(enabled: bool, message: &str) -> Progress {
        Progress::start(enabled, None, message)
    }

    /// A bar of `steps` (e.g. environments), when `enabled`.
    pub fn steps(enabled: bool, steps: u64, message: &str) -> Progress {
        Progress::start(enabled, Some(steps), message)
    }

    fn start(enabled: bool, steps: Option<u64>, message: &str) -> Progress {
        if !enabled {
            return Progress::hidden();
        }
        let bar = match steps {
            Some(n) => ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden())
                .with_style(
                    ProgressStyle::with_template("{spinner} {msg} [{pos}/{len}] {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.set_message(message.to_string());
        let done = Arc::new(AtomicBool::new(false));
        let (shown, finished) = (bar.clone(), Arc::clone(&done));
        // Appear only if the work is still running after the delay.
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !finished.load(Ordering::SeqCst) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(TICK);
            }
        });
        Progress {
            bar: Some(bar),
            done,
        }
    }

    pub fn message(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// One step done (a bar of steps).
    pub fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    #[cfg(test)]
    fn is_shown(&self) -> bool {
        self.bar.as_ref().is_some_and(|b| !b.is_hidden())
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_machine_format_never_gets_a_progress_line() {
        assert!(!wanted(false));
    }

    #[test]
    fn a_disabled_progress_draws_nothing_even_after_the_delay() {
        let progress = Progress::spinner(false, "reading");
        std::thread::sleep(DELAY + Duration::from_millis(100));
        assert!(!progress.is_shown());
    }

    #[test]
    fn work_finished_before_the_delay_never_shows_a_line() {
        let progress = Progress::spinner(true, "reading");
        assert!(!progress.is_shown(), "hidden at first");
        let done = Arc::clone(&progress.done);
        let bar = progress.bar.clone().expect("bar");
        drop(progress);
        assert!(done.load(Ordering::SeqCst));
        std::thread::sleep(DELAY + Duration::from_millis(100));
        assert!(bar.is_hidden(), "the delayed thread saw the work done");
    }
}
