//! The wall time of each stage, for the report and `-v`.

use std::time::{Duration, Instant};

/// Wall time per stage.
pub(super) struct Stopwatch(Instant);

impl Stopwatch {
    pub(super) fn new() -> Self {
        Stopwatch(Instant::now())
    }

    /// Adds the time since the last lap to `name` (stages that run more than once add up).
    pub(super) fn lap(&mut self, stages: &mut Vec<(&'static str, f64)>, name: &'static str) {
        let now = Instant::now();
        add(stages, name, now.duration_since(self.0));
        self.0 = now;
    }
}

/// Adds `took` to `name`: the time of a stage that ran beside another one.
pub(super) fn add(stages: &mut Vec<(&'static str, f64)>, name: &'static str, took: Duration) {
    let seconds = took.as_secs_f64();
    match stages.iter_mut().find(|(n, _)| *n == name) {
        Some((_, total)) => *total += seconds,
        None => stages.push((name, seconds)),
    }
}
