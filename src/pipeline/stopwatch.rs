//! The wall time of each stage, for the report and `-v`.

use std::time::Instant;

/// Wall time per stage.
pub(super) struct Stopwatch(Instant);

impl Stopwatch {
    pub(super) fn new() -> Self {
        Stopwatch(Instant::now())
    }

    /// Adds the time since the last lap to `name` (stages that run more than once add up).
    pub(super) fn lap(&mut self, stages: &mut Vec<(&'static str, f64)>, name: &'static str) {
        let now = Instant::now();
        let seconds = now.duration_since(self.0).as_secs_f64();
        match stages.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += seconds,
            None => stages.push((name, seconds)),
        }
        self.0 = now;
    }
}
