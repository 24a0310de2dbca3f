//! The optimiser's bookkeeping of candidates at one breakpoint: finding a candidate's
//! class when nodes are kept by line number, and dropping those that cannot be part of the
//! best solution.

use super::Candidate;

/// Number of fitness classes.
const CLASSES: usize = 4;

/// Drops the candidates that cost more than `adj_demerits` over the cheapest one of the
/// same hyphen count and line number (TeX §836, exact): from the same break, a line costs
/// them the same but for `\adjdemerits`, which their fitness class can save at most, so
/// every way on from them costs more than the same way on from the cheapest. `cheapest` is
/// scratch space, one entry per (line, hyphens) group.
pub(super) fn drop_dominated(
    candidates: &mut Vec<Candidate>,
    adj_demerits: f64,
    cheapest: &mut Vec<f64>,
) {
    let Some(overall) = candidates.iter().map(|c| c.demerits).min_by(f64::total_cmp) else {
        return;
    };
    // Most often every candidate is within reach of the cheapest of all, so of its group's.
    if candidates.iter().all(|c| c.demerits <= overall + adj_demerits) {
        return;
    }
    let (mut first_line, mut last_line, mut hyphens) = (u32::MAX, 0, 0);
    for c in candidates.iter() {
        (first_line, last_line) = (first_line.min(c.line), last_line.max(c.line));
        hyphens = hyphens.max(c.hyphens);
    }
    let group = |c: &Candidate| ((c.line - first_line) * (hyphens + 1) + c.hyphens) as usize;
    cheapest.clear();
    cheapest.resize(((last_line - first_line + 1) * (hyphens + 1)) as usize, f64::INFINITY);
    for c in candidates.iter() {
        let g = group(c);
        cheapest[g] = cheapest[g].min(c.demerits);
    }
    candidates.retain(|c| c.demerits <= cheapest[group(c)] + adj_demerits);
}

/// Where the candidate of each (fitness, hyphens, line) class is, at one breakpoint, when
/// nodes are kept by line number: a table over the line numbers and hyphen counts the
/// active nodes can lead to, so a class is found by indexing, not hashing (a looseness run
/// looks one up for every active node at every breakpoint).
#[derive(Default)]
pub(super) struct ClassIndex {
    /// Candidate index per class, `u32::MAX` for none.
    slots: Vec<u32>,
    /// Lowest line number of a candidate at this breakpoint.
    first_line: u32,
    /// Hyphen counts a candidate can have here, plus one.
    hyphen_counts: u32,
}

impl ClassIndex {
    /// Empties the table for a breakpoint whose candidates start from `active` nodes (line,
    /// consecutive hyphens), `flagged` when it is a hyphen break.
    pub(super) fn reset(&mut self, active: impl Iterator<Item = (u32, u32)>, flagged: bool) {
        let (mut low, mut high, mut hyphens) = (u32::MAX, 0, 0);
        for (line, h) in active {
            (low, high, hyphens) = (low.min(line), high.max(line), hyphens.max(h));
        }
        // A candidate is a line further on, and counts hyphens only at a hyphen break.
        self.first_line = low.saturating_add(1);
        self.hyphen_counts = if flagged { hyphens + 2 } else { 1 };
        let lines = high.saturating_add(1).saturating_sub(self.first_line) + 1;
        self.slots.clear();
        self.slots.resize((lines * self.hyphen_counts) as usize * CLASSES, u32::MAX);
    }

    fn slot(&self, (fitness, hyphens, line): (u8, u32, u32)) -> usize {
        let row = (line - self.first_line) * self.hyphen_counts + hyphens;
        row as usize * CLASSES + usize::from(fitness)
    }

    /// The candidate of `class`, if there is one yet.
    pub(super) fn get(&self, class: (u8, u32, u32)) -> Option<usize> {
        let i = self.slots[self.slot(class)];
        (i != u32::MAX).then_some(i as usize)
    }

    /// Records that candidate `index` is of `class`.
    pub(super) fn set(&mut self, class: (u8, u32, u32), index: usize) {
        let slot = self.slot(class);
        self.slots[slot] = index as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(hyphens: u32, line: u32, demerits: f64) -> Candidate {
        Candidate { fitness: 0, hyphens, line, demerits, from: 0, gaps: (0, 0) }
    }

    #[test]
    fn a_candidate_dearer_than_its_groups_cheapest_by_more_than_adjdemerits_is_dropped() {
        let mut candidates = vec![
            candidate(0, 5, 100.0),
            // Same hyphens and line: within reach is kept, beyond it dropped.
            candidate(0, 5, 10_100.0),
            candidate(0, 5, 10_100.5),
            // Another line number or hyphen count is another group: kept, however dear.
            candidate(0, 6, 50_000.0),
            candidate(1, 5, 50_000.0),
        ];
        drop_dominated(&mut candidates, 10_000.0, &mut Vec::new());
        let left: Vec<(u32, u32, f64)> =
            candidates.iter().map(|c| (c.hyphens, c.line, c.demerits)).collect();
        assert_eq!(left, vec![(0, 5, 100.0), (0, 5, 10_100.0), (0, 6, 50_000.0), (1, 5, 50_000.0)]);
    }

    #[test]
    fn every_class_reachable_from_the_active_nodes_has_its_own_slot() {
        let mut index = ClassIndex::default();
        // Active nodes on lines 3 to 5 with up to 2 hyphenated lines, at a hyphen break.
        index.reset([(3, 0), (5, 2), (4, 1)].into_iter(), true);
        let mut classes = Vec::new();
        for line in 4..=6 {
            for hyphens in 0..=3 {
                for fitness in 0..CLASSES as u8 {
                    classes.push((fitness, hyphens, line));
                }
            }
        }
        for (i, class) in classes.iter().enumerate() {
            assert_eq!(index.get(*class), None, "{class:?} is empty before it is set");
            index.set(*class, i);
        }
        for (i, class) in classes.iter().enumerate() {
            assert_eq!(index.get(*class), Some(i), "{class:?}");
        }
    }
}
