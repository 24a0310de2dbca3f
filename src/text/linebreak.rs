//! Line breaking: Knuth and Plass's total-fit algorithm ("Breaking Paragraphs into Lines",
//! 1981; `tex.web` §813–890), which chooses all the breaks of a paragraph together so that
//! its lines are as evenly spaced as possible.
//!
//! **The paragraph as elements.** A paragraph is a sequence of *boxes* (word fragments with a
//! fixed width), *glue* (spaces: a natural width that may stretch or shrink by given
//! amounts) and *penalties* (places where a break is possible at a cost; a hyphenation point
//! is a *flagged* penalty whose width is the hyphen printed if the line ends there). A line
//! may end at a glue that follows a box, or at a penalty below 10000; a penalty of −10000
//! forces a break. The glue and penalties that follow a break are discarded, as TeX does.
//!
//! **Badness and feasibility.** For a candidate line, the *adjustment ratio* r is the space
//! missing (or in excess) divided by the line's total stretch (or shrink). Its *badness* is
//! 100·|r|³, capped at 10000. A line is *feasible* when r ≥ −1 (glue never shrinks beyond its
//! shrink) and the badness is at most the pass's tolerance (TeX's `\pretolerance` for the
//! first pass, `\tolerance` after).
//!
//! **Demerits.** A feasible line costs (`\linepenalty` + badness)², plus the square of its
//! break penalty (minus it for a negative penalty), plus `\doublehyphendemerits` when it
//! and the line before both end hyphenated, plus `\finalhyphendemerits` when the line
//! before the last one is hyphenated, plus `\adjdemerits` when its *fitness class* (very loose
//! r > 1, loose r > 0.5, decent |r| ≤ 0.5, tight r < −0.5) is not adjacent to the previous
//! line's, so a tight line does not follow a loose one. The hyphen penalties
//! (`\hyphenpenalty`, `\exhyphenpenalty`) are set by the caller on the penalty elements.
//!
//! **The active list.** Scanning the legal breakpoints left to right, the optimiser keeps
//! the *active* breakpoints: those from which a line could still reach the current one. For
//! each new breakpoint it tries a line from every active node; a node from which the line
//! is already too long is deactivated for good (lines only get longer). For each fitness
//! class (and, when needed, each count of consecutive hyphenated lines and each line number)
//! the cheapest way to reach the breakpoint becomes a new active node, unless it costs more
//! than `\adjdemerits` over the cheapest way of the same hyphen count and line number (TeX
//! §836): its fitness class can save it at most those demerits later. At the end, the
//! cheapest node at the final forced break, followed back, gives the breaks.
//!
//! **Beyond TeX.** A hard limit on consecutive hyphenated lines (`max_consecutive`) makes a
//! break infeasible rather than merely expensive. `\looseness` keeps nodes per line number
//! and picks the solution whose line count is closest to the optimum plus the looseness.
//! Boxes may stretch and shrink too: that is justification letter spacing and font
//! expansion (pdfTeX's `\adjustspacing`, whose stretch also counts in the line's). A box
//! also says how far its first and last glyphs hang into the margins at a line's edge
//! (character protrusion, pdfTeX's `\lpcode`/`\rpcode`): a line starting or ending on it
//! has that much more room; a hyphen's share is taken off its penalty's width.
//! Shrinking, spaces and letters take the same ratio, at most 1. Stretching, they share it
//! up to 1; beyond, letter spacing stays at its maximum and the word spaces take the rest
//! ([`adjustment`]), and badness is computed from the word spaces' ratio, what the reader
//! sees. In the final pass badness is uncapped, and when no active node remains (an
//! unbreakable word longer than the measure) the cheapest deactivated node is used anyway
//! and the overfull line is reported, so the algorithm always ends with a solution.
//! Ragged-right setting is the same optimiser with rigid word spaces and a flexible right
//! margin (`rag`).
//! Rivers (`river_demerits`, the `microtype.rivers` setting): each node keeps the word-gap
//! centres of its line and, per gap, how many lines the chain of lined-up gaps above it has
//! reached; a candidate line whose gap continues a chain to three lines or more costs that
//! many demerits per such gap. Like `\adjdemerits`, it judges a line against the best way
//! found to reach its start, not against every one.
//!
//! **Parameters** (set in `paragraph.rs` and `prepare.rs`; measured with the team's
//! `../shared/tools/typometrics.py` on the seed page, TeX Gyre Termes 9.5 pt in 160.6 pt columns, where LuaLaTeX gets a mean inter-word gap of
//! 0.326 em and a 95th percentile of 0.505 em):
//! - letter spacing ±1.5 % of each glyph's advance, between clusters only (never after a
//!   word's last letter, so the word spaces stay what they look like): mean 0.357 → 0.302 em,
//!   p95 0.565 → 0.429 em; holding it at its maximum beyond ratio 1 (so it is a real bound)
//!   gives back a little, 0.307 / 0.446. It is the one change that matters: most paragraphs
//!   of a 35-character column have no set of lines within `\tolerance` 300 with word spaces
//!   alone.
//! - character protrusion (`protrusion.rs`, a setting, `microtype.protrusion`): on issue
//!   1720 (915 justified lines) the mean gap stays 0.292 em, p95 0.458 → 0.453, max 0.640 →
//!   0.626, and hyphenated line ends 24.4 → 25.4 % (a hyphen that hangs out costs less
//!   room); on the seed issue 1719, mean 0.284 → 0.272, p95 0.435 → 0.418, loose lines 3 → 2.
//!   Off by default all the same: a paragraph whose lines have that room can seldom be
//!   set one line longer within tolerance, and the copyfit's looseness step then leaves
//!   three of issue 1720's frames a line short. Issue 1719 (no page plan) turns it on.
//! - font expansion (`Tz` per line, ±2 % in 0.5 % steps, the same ratio as letter spacing):
//!   with letter spacing, issue 1720 goes to mean 0.255 em, p95 0.341, max 0.503, 1 loose
//!   line instead of 28, hyphens 22.9 %; instead of letter spacing, 0.268 / 0.397 / 0.556, 9
//!   loose; both at 1 %, 0.275 / 0.410 / 0.561. The best is both, but it sets the text so much
//!   tighter (1,003 body lines instead of 1,020) that 12 of issue 1720's story frames no longer
//!   fill after copyfit: it stays a setting (`microtype.expansion`), off by default.
//! - word spaces stretch by 1/3 of the space at ratio 1 (133 %, InDesign's usual maximum)
//!   rather than TeX's 1/2, and shrink by TeX's 1/3 (a 0.25 em space never gets under
//!   0.167 em): badness then grows faster with the visible gap, so the optimiser prefers a
//!   tight line to a loose one. Mean 0.307 → 0.300 em, and fewer loose lines in German.
//! - `\emergencystretch` 0: with uncapped badness the final pass needs no background
//!   stretch to find a solution, and background stretch made lines with few spaces (the
//!   ones that show it most) look cheaper to loosen: 0.5 em of it cost 0.005 em of mean
//!   gap on average over the test texts.
//! - `\pretolerance` 100, `\tolerance` 300, `\linepenalty` 10, `\hyphenpenalty` 50,
//!   `\adjdemerits` 10000, `\doublehyphendemerits` 10000, `\finalhyphendemerits` 5000:
//!   TeX's values. Once letter spacing is in, changing them (pretolerance −1, tolerance 200
//!   to 1000, hyphenpenalty 0 to 100, adjdemerits 3000, linepenalty 1 to 30, shrunk lines'
//!   badness halved) moved the mean by less than 0.004 em and the p95 not at all on the
//!   test texts: the loose lines left are forced by the text (a word that may not be
//!   hyphenated, a number bound to its unit), not by the weights. Hyphenation points are
//!   TeX's own patterns (hyph-utf8) with TeX's minima (French 2/3).
//!
//! Breakpoint enumeration ([`breakpoints`]) is kept apart from the optimiser ([`optimise`]).

use classes::{ClassIndex, drop_dominated};
use window::Window;

/// A penalty at or above this never breaks; at or below its negation always breaks.
pub(crate) const INFINITE_PENALTY: f32 = 10000.0;
/// Badness of an infinitely bad line (TeX's `inf_bad`).
const INF_BAD: f32 = 10000.0;
/// Stretch standing for TeX's `fil`: infinitely more than any finite stretch here.
pub(crate) const FIL: f32 = 1.0e6;
/// Badness of a line at ratio 1 (TeX §108: badness is about 100·r³).
const BADNESS_AT_RATIO_ONE: f32 = 100.0;
/// Badness of a line that cannot be filled at all (no stretch), when badness is uncapped:
/// worse than any line that can, so the final pass still ranks them last.
const UNCAPPED_INF_BAD: f32 = 1.0e12;
/// Demerits of an overfull line accepted as a last resort: more than any feasible line's,
/// so the final pass only takes one where nothing else reaches the break.
const OVERFULL_DEMERITS: f64 = 1.0e8;

/// Fitness classes (TeX §817), by adjustment ratio: a line whose class is not next to its
/// neighbour's costs `\adjdemerits`. Very loose: ratio above 1.
const VERY_LOOSE: u8 = 0;
/// Ratio in (0.5, 1].
const LOOSE: u8 = 1;
/// Ratio in [−0.5, 0.5]; also the class of the paragraph start and of an overfull line.
const DECENT: u8 = 2;
/// Ratio below −0.5.
const TIGHT: u8 = 3;
/// The ratio up to which a line is decent (and from which, negated, it is tight).
const DECENT_RATIO: f32 = 0.5;

/// One element of the paragraph as the breaker sees it: a box, glue or a penalty, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Element {
    /// Unbreakable material; its stretch and shrink come from letter spacing (see the
    /// module doc), zero for rigid material.
    Box {
        /// Width.
        width: f32,
        /// Maximum extra width at ratio 1.
        stretch: f32,
        /// Maximum reduction at ratio −1.
        shrink: f32,
        /// How far its first glyph hangs into the left margin when it starts a line, points
        /// (character protrusion: the line has that much more room).
        left: f32,
        /// How far its last glyph hangs into the right margin when a line ends after it.
        right: f32,
    },
    /// Space that can stretch and shrink; a break may happen at it if `breakable`.
    Glue {
        /// Natural width.
        width: f32,
        /// Maximum extra width at ratio 1.
        stretch: f32,
        /// Maximum reduction at ratio −1.
        shrink: f32,
        /// False for no-break spaces.
        breakable: bool,
    },
    /// A possible break with a cost.
    Penalty {
        /// Width added if the line breaks here (a hyphen), less what of it hangs into the
        /// right margin (character protrusion).
        width: f32,
        /// Cost; ≥ 10000 forbids, ≤ −10000 forces.
        penalty: f32,
        /// A hyphen break, for `\doublehyphendemerits` and the consecutive limit.
        flagged: bool,
    },
}

/// The knobs of one optimisation pass, named after TeX's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Params {
    /// Highest badness of a feasible line (`\pretolerance` or `\tolerance`).
    pub tolerance: f32,
    /// Added to every line's badness before squaring (`\linepenalty`).
    pub line_penalty: f32,
    /// Two hyphenated lines in a row (`\doublehyphendemerits`).
    pub double_hyphen_demerits: f32,
    /// Hyphen on the second-last line (`\finalhyphendemerits`).
    pub final_hyphen_demerits: f32,
    /// Non-adjacent fitness classes (`\adjdemerits`).
    pub adj_demerits: f32,
    /// Lines more (positive) or fewer than the optimum (`\looseness`).
    pub looseness: i32,
    /// Most consecutive lines ending with a flagged break (hard limit).
    pub max_consecutive: u32,
    /// Extra stretch of every line's right margin, points: 0 when justified.
    pub rag: f32,
    /// Last resort: accept overfull lines rather than fail.
    pub final_pass: bool,
    /// Demerits for each word gap that lines up with a river of the two lines above it
    /// ([`crate::model::RIVER_ALIGN_EM`]); 0 turns the river search off.
    pub river_demerits: f32,
    /// How close, points, two gaps' centres on consecutive lines must be to line up.
    pub river_tolerance: f32,
}

/// The chosen breaks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Breaks {
    /// Element indices where lines end, the last being the paragraph's final element.
    pub positions: Vec<usize>,
    /// Whether some line had to be set overfull.
    pub overfull: bool,
    /// Lines of the chosen solution minus lines of the optimum (what `looseness` achieved).
    pub line_delta: i64,
}

/// The legal breakpoints of `elements`: penalties below infinity and glue right after a box.
pub(crate) fn breakpoints(elements: &[Element]) -> impl Iterator<Item = usize> + '_ {
    (0..elements.len()).filter(move |&i| match elements[i] {
        Element::Penalty { penalty, .. } => penalty < INFINITE_PENALTY,
        Element::Glue { breakable, .. } => {
            breakable && i > 0 && matches!(elements[i - 1], Element::Box { .. })
        }
        Element::Box { .. } => false,
    })
}

/// The first element of the line after a break at `b`: the glue and penalties that follow a
/// break are discarded, up to the next box or forced break.
pub(crate) fn start_after(elements: &[Element], b: usize) -> usize {
    let mut j = b + 1;
    while j < elements.len() && !matches!(elements[j], Element::Box { .. }) {
        if let Element::Penalty { penalty, .. } = elements[j]
            && penalty <= -INFINITE_PENALTY
        {
            break;
        }
        j += 1;
    }
    j
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Element index of the break (usize::MAX for the paragraph start).
    position: usize,
    /// First element of the line after this break (discardables skipped).
    start: usize,
    /// Lines up to this break.
    line: u32,
    fitness: u8,
    /// Consecutive hyphenated lines ending here.
    hyphens: u32,
    demerits: f64,
    previous: Option<usize>,
    /// The word gaps of the line ending here, as a range of the optimiser's gap store
    /// (empty unless rivers are searched).
    gaps: (u32, u32),
}

/// What a line can give: the sums of its elements' stretch and shrink, points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Flex {
    /// Stretch of the word spaces (and of a ragged margin).
    pub stretch: f32,
    /// Stretch of the letter spacing.
    pub letter_stretch: f32,
    /// Shrink of both.
    pub shrink: f32,
}

/// Running sums of a paragraph's elements: at `i`, the width, word-space stretch, letter
/// stretch and shrink of `elements[..i]`, so that a line's are two subtractions.
pub(crate) struct Sums {
    pub width: Vec<f32>,
    pub spaces: Vec<f32>,
    pub letters: Vec<f32>,
    pub shrink: Vec<f32>,
}

impl Sums {
    pub(crate) fn new(elements: &[Element]) -> Sums {
        let n = elements.len() + 1;
        let mut sums = Sums {
            width: Vec::with_capacity(n),
            spaces: Vec::with_capacity(n),
            letters: Vec::with_capacity(n),
            shrink: Vec::with_capacity(n),
        };
        let (mut w, mut y, mut l, mut z) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        for element in elements {
            sums.push(w, y, l, z);
            match *element {
                Element::Box { width, stretch, shrink, .. } => {
                    (w, l, z) = (w + width, l + stretch, z + shrink)
                }
                Element::Glue { width, stretch, shrink, .. } => {
                    (w, y, z) = (w + width, y + stretch, z + shrink)
                }
                Element::Penalty { .. } => {}
            }
        }
        sums.push(w, y, l, z);
        sums
    }

    fn push(&mut self, w: f32, y: f32, l: f32, z: f32) {
        self.width.push(w);
        self.spaces.push(y);
        self.letters.push(l);
        self.shrink.push(z);
    }
}

/// How a line `short` points short of the measure (negative: too long) is adjusted:
/// (word-space ratio, letter-spacing ratio). Shrinking, both take the same ratio, never
/// below −1 for a feasible line. Stretching, both take the same ratio up to 1; beyond it
/// letter spacing stays at its maximum and the word spaces alone take the rest, so the
/// first ratio is what the reader sees in the gaps and what badness is computed from. A
/// line that cannot stretch enough (no word space) has an infinite ratio.
pub(crate) fn adjustment(short: f32, flex: Flex) -> (f32, f32) {
    if short > 0.0 {
        let total = flex.stretch + flex.letter_stretch;
        if short <= total {
            let r = short / total;
            (r, r)
        } else if flex.stretch > 0.0 {
            ((short - flex.letter_stretch) / flex.stretch, 1.0)
        } else {
            (f32::INFINITY, 1.0)
        }
    } else if short < 0.0 {
        if flex.shrink > 0.0 {
            let r = short / flex.shrink;
            (r, r)
        } else {
            (f32::NEG_INFINITY, f32::NEG_INFINITY)
        }
    } else {
        (0.0, 0.0)
    }
}

/// Badness of a line with adjustment ratio `r` (TeX §108: about 100·r³), capped at TeX's
/// 10000 unless `uncapped`: the final pass keeps telling a very loose line from a hopeless
/// one, where TeX would find them equally bad and could pick the worse.
fn badness(r: f32, uncapped: bool) -> f32 {
    if r.is_infinite() {
        if uncapped { UNCAPPED_INF_BAD } else { INF_BAD }
    } else if uncapped {
        BADNESS_AT_RATIO_ONE * r.abs().powi(3)
    } else {
        (BADNESS_AT_RATIO_ONE * r.abs().powi(3)).min(INF_BAD)
    }
}

/// The fitness class of a line with adjustment ratio `r`.
fn fitness(r: f32) -> u8 {
    if r < -DECENT_RATIO {
        TIGHT
    } else if r <= DECENT_RATIO {
        DECENT
    } else if r <= 1.0 {
        LOOSE
    } else {
        VERY_LOOSE
    }
}

/// The cheapest way found so far to reach the current breakpoint, for one combination of
/// fitness class, hyphen count and line number (the nodes it will become).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    fitness: u8,
    /// Consecutive hyphenated lines ending at the break (0 unless it is flagged).
    hyphens: u32,
    /// Line number, when looseness needs nodes kept apart by it; 0 otherwise.
    line: u32,
    demerits: f64,
    /// The active node the line starts from.
    from: usize,
    /// The line's word gaps in the gap store.
    gaps: (u32, u32),
}

/// Chooses the breaks of `elements` for lines of `width` points; `None` when no set of
/// feasible lines exists under `params` (never in a final pass).
pub(crate) fn optimise(elements: &[Element], width: f32, params: &Params) -> Option<Breaks> {
    if params.looseness == 0 {
        run(elements, width, params, None).map(|r| r.breaks)
    } else {
        window::loose(elements, width, params)
    }
}

/// What one run of the optimiser found.
struct Run {
    /// The chosen breaks.
    breaks: Breaks,
    /// Line count and demerits of the optimum (the chosen breaks unless looseness moved
    /// them).
    best: (u32, f64),
}

/// The optimiser: [`optimise`], following with looseness only the nodes `window` keeps
/// (all without one).
fn run(elements: &[Element], width: f32, params: &Params, window: Option<&Window>) -> Option<Run> {
    let n = elements.len();
    if n == 0 {
        let breaks = Breaks { positions: Vec::new(), overfull: false, line_delta: 0 };
        return Some(Run { breaks, best: (0, 0.0) });
    }
    let sums = Sums::new(elements);
    let start_after = |b: usize| start_after(elements, b);
    let by_line = params.looseness != 0;
    let mut nodes: Vec<Node> = Vec::with_capacity(64);
    nodes.push(Node {
        position: usize::MAX,
        start: 0,
        line: 0,
        fitness: DECENT,
        hyphens: 0,
        demerits: 0.0,
        previous: None,
        gaps: (0, 0),
    });
    // Word gaps of the nodes' lines: centre (points from the line's left edge) and the
    // number of consecutive lines its river has reached.
    let mut gap_store: Vec<(f32, u32)> = Vec::new();
    let mut active: Vec<usize> = vec![0];
    let mut overfull = false;
    // Best candidate per (fitness, hyphens, line) at the current breakpoint.
    let mut candidates: Vec<Candidate> = Vec::with_capacity(16);
    let mut classes = ClassIndex::default();
    let mut cheapest: Vec<f64> = Vec::new();
    let last = n - 1;
    for b in breakpoints(elements) {
        let (penalty, flagged, pen_width) = match elements[b] {
            Element::Penalty { penalty, flagged, width } => (penalty, flagged, width),
            _ => (0.0, false, 0.0),
        };
        let forced = penalty <= -INFINITE_PENALTY;
        // Protrusion into the right margin: a hyphen's is in its penalty's width; otherwise
        // the last glyph before the break hangs out (never before the final glue).
        let right = match b.checked_sub(1).map(|i| elements[i]) {
            Some(Element::Box { right, .. }) if pen_width == 0.0 => right,
            _ => 0.0,
        };
        candidates.clear();
        let next = start_after(b);
        if by_line {
            classes.reset(active.iter().map(|&i| (nodes[i].line, nodes[i].hyphens)), flagged);
        }
        let mut best_removed: Option<usize> = None;
        // The active list is compacted in place (kept nodes slide down to `kept`): removing
        // one at a time would shift the list for each, and looseness keeps it long.
        let mut kept = 0;
        for k in 0..active.len() {
            let a = nodes[active[k]];
            let s = a.start.min(b);
            let left = match elements[s] {
                Element::Box { left, .. } if s < b => left,
                _ => 0.0,
            };
            let natural = sums.width[b] - sums.width[s] + pen_width - left - right;
            let flex = Flex {
                stretch: sums.spaces[b] - sums.spaces[s] + params.rag,
                letter_stretch: sums.letters[b] - sums.letters[s],
                shrink: sums.shrink[b] - sums.shrink[s],
            };
            let (r, letter) = adjustment(width - natural, flex);
            let remove = r < -1.0 || forced;
            if r >= -1.0 && window.is_none_or(|w| w.keeps(a.line + 1, next)) {
                let bad = badness(r, params.final_pass);
                let hyphens = if flagged { a.hyphens + 1 } else { 0 };
                if bad <= params.tolerance && hyphens <= params.max_consecutive {
                    let fit = fitness(r);
                    let mut d = (f64::from(params.line_penalty) + f64::from(bad)).powi(2);
                    if penalty >= 0.0 {
                        d += f64::from(penalty).powi(2);
                    } else if !forced {
                        d -= f64::from(penalty).powi(2);
                    }
                    if flagged && a.hyphens > 0 {
                        d += f64::from(params.double_hyphen_demerits);
                    }
                    if b == last && a.hyphens > 0 {
                        d += f64::from(params.final_hyphen_demerits);
                    }
                    if fit.abs_diff(a.fitness) > 1 {
                        d += f64::from(params.adj_demerits);
                    }
                    let mut gaps = (0, 0);
                    if params.river_demerits > 0.0 {
                        let start = gap_store.len();
                        let line = Line { elements, start: s, end: b, left, ratio: r, letter };
                        let tolerance = params.river_tolerance;
                        let river_gaps = line_gaps(line, &a.gaps, tolerance, &mut gap_store);
                        d += f64::from(params.river_demerits) * river_gaps as f64;
                        gaps = (start as u32, gap_store.len() as u32);
                    }
                    let total = a.demerits + d;
                    let line = if by_line { a.line + 1 } else { 0 };
                    let hyphens = if flagged { hyphens } else { 0 };
                    let candidate = Candidate {
                        fitness: fit,
                        hyphens,
                        line,
                        demerits: total,
                        from: active[k],
                        gaps,
                    };
                    // Few candidates without looseness: a scan. With it, one per line number
                    // reached as well, so they are found through an index.
                    let class = (fit, hyphens, line);
                    let found = if by_line {
                        classes.get(class)
                    } else {
                        candidates.iter().position(|c| (c.fitness, c.hyphens, c.line) == class)
                    };
                    match found {
                        Some(i) if candidates[i].demerits <= total => {}
                        Some(i) => candidates[i] = candidate,
                        None => {
                            if by_line {
                                classes.set(class, candidates.len());
                            }
                            candidates.push(candidate);
                        }
                    }
                }
            }
            if remove {
                let idx = active[k];
                if r < -1.0
                    && best_removed.is_none_or(|best| nodes[best].demerits > nodes[idx].demerits)
                {
                    best_removed = Some(idx);
                }
            } else {
                active[kept] = active[k];
                kept += 1;
            }
        }
        active.truncate(kept);
        if candidates.is_empty() && active.is_empty() {
            // Nothing reaches this break and nothing is left to reach a later one.
            let from = best_removed?;
            if !params.final_pass {
                return None;
            }
            overfull = true;
            let a = nodes[from];
            let line = if by_line { a.line + 1 } else { 0 };
            candidates.push(Candidate {
                fitness: DECENT,
                hyphens: u32::from(flagged),
                line,
                demerits: a.demerits + OVERFULL_DEMERITS,
                from,
                gaps: (0, 0),
            });
        }
        // Rivers' demerits depend on the whole way to a break, not only on its last line.
        if params.river_demerits == 0.0 {
            drop_dominated(&mut candidates, f64::from(params.adj_demerits), &mut cheapest);
        }
        for candidate in &candidates {
            let a = nodes[candidate.from];
            nodes.push(Node {
                position: b,
                start: next,
                line: a.line + 1,
                fitness: candidate.fitness,
                hyphens: candidate.hyphens,
                demerits: candidate.demerits,
                previous: Some(candidate.from),
                gaps: candidate.gaps,
            });
            active.push(nodes.len() - 1);
        }
    }
    // The final break is forced, so the active list now holds only nodes at it.
    let finals: Vec<usize> =
        active.iter().copied().filter(|&i| nodes[i].position == last).collect();
    let best =
        finals.iter().copied().min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    let chosen = if params.looseness != 0 {
        let target = i64::from(nodes[best].line) + i64::from(params.looseness);
        finals
            .iter()
            .copied()
            .min_by(|&a, &b| {
                let da = (i64::from(nodes[a].line) - target).abs();
                let db = (i64::from(nodes[b].line) - target).abs();
                da.cmp(&db).then(nodes[a].demerits.total_cmp(&nodes[b].demerits))
            })
            .unwrap_or(best)
    } else {
        best
    };
    let mut positions = Vec::with_capacity(nodes[chosen].line as usize);
    let mut cur = Some(chosen);
    while let Some(i) = cur {
        if nodes[i].position != usize::MAX {
            positions.push(nodes[i].position);
        }
        cur = nodes[i].previous;
    }
    positions.reverse();
    let line_delta = i64::from(nodes[chosen].line) - i64::from(nodes[best].line);
    let breaks = Breaks { positions, overfull, line_delta };
    Some(Run { breaks, best: (nodes[best].line, nodes[best].demerits) })
}

/// A candidate line, for [`line_gaps`]: elements `start..end`, its first glyph hanging `left`
/// points into the margin, set at word-space ratio `ratio` and letter ratio `letter`.
#[derive(Clone, Copy)]
struct Line<'a> {
    elements: &'a [Element],
    start: usize,
    end: usize,
    left: f32,
    ratio: f32,
    letter: f32,
}

/// Appends the word gaps of `line` to `store` (centre, points from the line's left edge, as
/// commit places it, and the length of the river it continues), each continuing the
/// nearest free gap of the line above (`above`, a range of `store`) within `tolerance`
/// points, as `check::rivers` counts them. Returns how many of them make a river of three
/// lines or more.
fn line_gaps(
    line: Line<'_>,
    above: &(u32, u32),
    tolerance: f32,
    store: &mut Vec<(f32, u32)>,
) -> usize {
    let (from, to) = (above.0 as usize, above.1 as usize);
    // Which gaps above are taken, as bits: past 64 gaps on a line the rest stay free.
    let mut taken = 0u64;
    let mut x = -line.left;
    let mut rivers = 0;
    for element in &line.elements[line.start..line.end] {
        match *element {
            Element::Box { width, stretch, shrink, .. } => {
                x += width
                    + if line.ratio >= 0.0 { line.letter * stretch } else { line.ratio * shrink };
            }
            // The fill glue of a last line is no word space.
            Element::Glue { stretch, .. } if stretch >= FIL => {}
            Element::Glue { width, stretch, shrink, .. } => {
                let w = width
                    + if line.ratio >= 0.0 { line.ratio * stretch } else { line.ratio * shrink };
                let centre = x + w / 2.0;
                x += w;
                let mut best: Option<(usize, f32)> = None;
                for (n, &(c, _)) in store[from..to].iter().enumerate() {
                    let bit = 1u64.checked_shl(n as u32).unwrap_or(0);
                    let distance = (c - centre).abs();
                    if taken & bit == 0
                        && distance <= tolerance
                        && best.is_none_or(|(_, d)| distance < d)
                    {
                        best = Some((n, distance));
                    }
                }
                let chain = match best {
                    Some((n, _)) => {
                        taken |= 1u64.checked_shl(n as u32).unwrap_or(0);
                        store[from + n].1 + 1
                    }
                    None => 1,
                };
                rivers += usize::from(chain >= 3);
                store.push((centre, chain));
            }
            Element::Penalty { .. } => {}
        }
    }
    rivers
}

pub(crate) mod bounds;
mod classes;
#[cfg(test)]
mod tests;
mod window;
