//! The search that fills one page with story rectangles: a depth-first search over the
//! page's *skyline* (how far down each column is already filled), with a node budget.
//!
//! Every rectangle tiling of a page can be built by always filling the highest empty cell,
//! leftmost among equals: the frame that covers it must start in its column (the columns to
//! its left are filled lower or are full), at its line. So each step takes that cell and
//! tries the stories of the window there, in priority order, each at the widths, photo
//! options and depths its shapes allow, widest first and nearest its natural depth first.
//! A step is refused when it would break a make-up rule (below) or leave under it a strip
//! too shallow for any story; the first tiling that fills every column to its foot wins,
//! so the result is deterministic and as close to priority order as the page allows.
//!
//! Rules, as a page is built:
//! - the page's first story is the highest-priority one left, at the top left, with the
//!   lead head (unless a continuation tops the page);
//! - head classes never grow down the page: a story takes at most the class of every story
//!   that starts higher;
//! - no tombstones: two heads of the same class side by side at the same height are not
//!   allowed (the second takes the next smaller class, or the step is refused);
//! - when any story on the page has a photo, one photo on the page spans two columns or
//!   more (checked when the page is full). A page no tiling fills that way is searched
//!   again without this rule: a full page without a photo beats a photo over white space.
//!
//! When no tiling fills the page (or the budget runs out), the page is closed with a jump
//! if it can be: the longest start of the fullest try whose stories fill exactly and that
//! leaves one rectangle free down to the foot gives that rectangle to a story of the
//! window that overflows it, whose rest the next page's top takes. Otherwise the fullest
//! partial page found is kept, counting a last frame that leaves a strip too shallow for a
//! story under it (the search goes on from no such frame, but a page no tiling fills is
//! less white with it): the caller reports its white space.

use crate::model::HeadClass;

/// Lines of the rule that opens a frame lower on the page (see the make-up).
pub(super) const RULE_LINES: u32 = 1;

/// Shallowest strip a frame may leave under it, in lines with its opening rule: a strip
/// shallower than a short story (its head and a few lines) could only stay white.
pub(super) const MIN_STRIP: u32 = 7;

/// Shallowest frame a story may jump from, in lines: its head and six lines a column (a
/// shallower one leaves the make-up a jump it refuses).
pub(super) const MIN_JUMP_FRAME: u32 = 12;

/// A story placed on a page: a rectangle of the grid, in lines under the page's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Index of the story in the articles.
    pub story: usize,
    /// First column, 0-based.
    pub first_column: u32,
    /// Columns spanned.
    pub columns: u32,
    /// Top line of the frame (its opening rule when not 0).
    pub top: u32,
    /// Lines of the frame, its opening rule included.
    pub depth: u32,
    /// Its head class.
    pub head: HeadClass,
    /// Whether it is set with its photo.
    pub photo: bool,
    /// How the frame takes the story: its head and all of it, its head with a jump at the
    /// foot, or the rest of a story that jumped to this page.
    pub part: Part,
}

/// Which part of a story a frame holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole story.
    Whole,
    /// The head and first part of a story that jumps to a later page.
    Jumps,
    /// The rest of a story that jumped here, under its jump head.
    Rest,
    /// The middle of a story longer than two pages: continued from the page before, it
    /// fills its frame and jumps again.
    Through,
}

impl Part {
    /// Whether the frame continues a story begun on an earlier page (no head of its own).
    pub fn continued(self) -> bool {
        matches!(self, Part::Rest | Part::Through)
    }

    /// Whether the story goes on from this frame to the next page.
    pub fn jumps(self) -> bool {
        matches!(self, Part::Jumps | Part::Through)
    }
}

/// The lines each column of a page offers, from the top of its text to its foot or to the
/// ad built up under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageArea {
    /// Per column, the lines free for stories.
    pub limits: Vec<u32>,
}

impl PageArea {
    /// How far down each column `placements` fill it (the line under the lowest frame in
    /// it; 0 for a column none is in).
    pub(super) fn skyline(&self, placements: &[Placement]) -> Vec<u32> {
        let mut fill = vec![0; self.limits.len()];
        for p in placements {
            for c in p.first_column..p.first_column + p.columns {
                fill[c as usize] = fill[c as usize].max(p.top + p.depth);
            }
        }
        fill
    }
}

/// The shapes a story can take, measured on demand by the caller.
pub trait Shapes {
    /// The widths (columns) the story may span, narrowest to widest.
    fn widths(&self, story: usize) -> std::ops::RangeInclusive<u32>;
    /// The photo options to try, in order: `true` for with its photo.
    fn photo_options(&self, story: usize) -> &'static [bool];
    /// Whether the story has a photo to show.
    fn has_photo(&self, story: usize) -> bool;
    /// Whether the story is a brief: set under a brief's head wherever it goes.
    fn is_brief(&self, story: usize) -> bool;
    /// Whether the story may only lead a page (`priority: lead`).
    fn leads_only(&self, story: usize) -> bool;
    /// The depths, in lines without an opening rule, at which the story should fill a
    /// frame of `columns` exactly once copyfitted (with its photo or not, under a head of
    /// class `head`), best first: an estimate, cheap to ask often.
    fn depths(&mut self, story: usize, columns: u32, photo: bool, head: HeadClass) -> Vec<u32>;
    /// The depths at which the rest of `story` fills a frame as wide at the top of the next
    /// page when it jumps from a frame of `columns` and `depth` lines (no opening rule)
    /// under a head of class `head`, best first; empty when it cannot jump from there (it
    /// fits whole, or keeps too few lines a column). A rest longer than a page gives the
    /// page's depth alone: it fills that page and jumps again.
    fn jump_rest(
        &mut self,
        story: usize,
        columns: u32,
        photo: bool,
        head: HeadClass,
        depth: u32,
    ) -> Vec<u32>;
    /// Lines the story is over (positive) or under (negative) in `placement` once
    /// copyfitted: the exact test, asked only of the frames of a full page, and of those
    /// the search keeps when it finds none.
    fn fit_after(&mut self, placement: &Placement) -> i32;
}

/// The result of filling a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageFill {
    /// The frames, in the order placed (the given ones first).
    pub placements: Vec<Placement>,
    /// Whether every column is filled to its limit.
    pub full: bool,
    /// Column-lines left empty.
    pub white: u32,
}

impl PageFill {
    /// The page with only the `given` frames on it.
    pub fn given_only(area: &PageArea, given: &[Placement]) -> PageFill {
        let covered: u32 = given.iter().map(|p| p.columns * p.depth).sum();
        let white = area.limits.iter().sum::<u32>().saturating_sub(covered);
        PageFill { placements: given.to_vec(), full: white == 0, white }
    }
}

/// The search's state on one page.
struct Search<'a> {
    area: &'a PageArea,
    window: &'a [usize],
    shapes: &'a mut dyn Shapes,
    /// Whether the first story of `window` must lead the page.
    lead_first: bool,
    /// Whether a page with a photo must show one over two columns (see the module doc).
    photo_rule: bool,
    nodes: usize,
    budget: usize,
    placements: Vec<Placement>,
    fill: Vec<u32>,
    best: Option<(u32, Vec<Placement>)>,
    /// The fullest try counting a last frame that leaves a strip too shallow for a story
    /// under it: no page is searched on from there, but a page no tiling fills is less
    /// white with that frame than without it.
    fullest_leaf: Option<(u32, Vec<Placement>)>,
    /// Full pages still to pass over (the caller asks for another way to fill the page).
    skip: &'a mut usize,
    /// Full pages passed over so far.
    passed: usize,
}

/// Fills `area` from the `given` frames (a continuation at the top, a story that jumps)
/// with stories of `window` (priority order), trying at most `budget` steps.
///
/// The first `skip` full pages it finds (tilings, then ways of closing the page with a
/// jump) are passed over, counted down as they are found: the caller asks for another way
/// to fill a page when the first leaves the next one what it cannot fill.
pub fn fill_page_skipping(
    area: &PageArea,
    given: &[Placement],
    window: &[usize],
    shapes: &mut dyn Shapes,
    budget: usize,
    skip: &mut usize,
) -> PageFill {
    let fill = area.skyline(given);
    let mut search = Search {
        area,
        window,
        shapes,
        lead_first: given.is_empty(),
        photo_rule: true,
        nodes: 0,
        budget,
        placements: given.to_vec(),
        fill: fill.clone(),
        best: None,
        fullest_leaf: None,
        skip,
        passed: 0,
    };
    let mut full = search.step();
    // Pages passed over with a two-column photo are not found again without the rule.
    if !full && search.passed == 0 {
        (search.photo_rule, search.nodes) = (false, 0);
        (search.placements, search.fill) = (given.to_vec(), fill);
        full = search.step();
    }
    if full {
        let placements = search.placements;
        return PageFill { placements, full: true, white: 0 };
    }
    // One jump a page: a page whose lead already jumps is not closed by another.
    if given.iter().all(|p| !p.part.jumps())
        && let Some(placements) = search.close_with_jump(given.len())
    {
        return PageFill { placements, full: true, white: 0 };
    }
    let leaf = search.fullest_leaf.take();
    let best = search.best.take().into_iter().chain(leaf).max_by_key(|(filled, _)| *filled);
    let (_, mut placements) = best.unwrap_or_else(|| (0, given.to_vec()));
    // A story of the fullest try that would be overset is left for a later page: its text
    // would be cut. One left short stays, its white counted.
    placements.retain(|p| p.part != Part::Whole || search.shapes.fit_after(p) <= 0);
    PageFill { full: false, ..PageFill::given_only(area, &placements) }
}

impl Search<'_> {
    /// Tries to fill the rest of the page; true when it is full (`placements` then holds it).
    fn step(&mut self) -> bool {
        self.nodes += 1;
        self.keep_best();
        let Some((column, top, run)) = self.highest_empty_cell() else {
            let full = self.photo_rule_holds() && self.verified();
            if full && *self.skip > 0 {
                *self.skip -= 1;
                self.passed += 1;
                return false;
            }
            return full;
        };
        if self.nodes > self.budget {
            return false;
        }
        let leads = self.lead_first && self.placements.is_empty();
        let candidates: Vec<usize> = if leads {
            // The page's lead: the first story of the window that is not a brief (briefs
            // finish pages, they do not lead them), or the first brief when all are.
            let lead = self.window.iter().copied().find(|s| !self.shapes.is_brief(*s));
            lead.or(self.window.first().copied()).into_iter().collect()
        } else {
            let used: Vec<usize> = self.placements.iter().map(|p| p.story).collect();
            let free = |s: &usize| !used.contains(s) && !self.shapes.leads_only(*s);
            // Stories before briefs: briefs are kept to finish the pages stories cannot.
            let mut free: Vec<usize> = self.window.iter().copied().filter(free).collect();
            free.sort_by_key(|s| self.shapes.is_brief(*s));
            free
        };
        let rule = if top > 0 { RULE_LINES } else { 0 };
        for story in candidates {
            let widths = self.shapes.widths(story);
            let widest = (*widths.end()).min(run);
            for columns in (*widths.start()..=widest).rev() {
                let brief = self.shapes.is_brief(story);
                let Some(head) = self.head_class(leads, brief, column, columns, top) else {
                    continue;
                };
                for &photo in self.shapes.photo_options(story) {
                    for depth in self.shapes.depths(story, columns, photo, head) {
                        let placement = Placement {
                            story,
                            first_column: column,
                            columns,
                            top,
                            depth: depth + rule,
                            head,
                            photo,
                            part: Part::Whole,
                        };
                        if !self.leaves_room(&placement) {
                            if self.fits(&placement) {
                                self.keep_fullest_leaf(placement);
                            }
                            continue;
                        }
                        let before = self.place(placement);
                        if self.step() {
                            return true;
                        }
                        self.unplace(placement, before);
                        if self.nodes > self.budget {
                            return false;
                        }
                    }
                }
            }
        }
        false
    }

    /// The highest empty cell, leftmost among equals, as (column, line, columns at that
    /// line to its right that are empty there too).
    fn highest_empty_cell(&self) -> Option<(u32, u32, u32)> {
        let limits = &self.area.limits;
        let (column, top) = self
            .fill
            .iter()
            .zip(limits)
            .enumerate()
            .filter(|(_, (fill, limit))| fill < limit)
            .map(|(c, (fill, _))| (c, *fill))
            .min_by_key(|(c, fill)| (*fill, *c))?;
        let run = self.fill[column..]
            .iter()
            .zip(&limits[column..])
            .take_while(|(fill, limit)| **fill == top && top < **limit)
            .count();
        Some((column as u32, top, run as u32))
    }

    /// The head class of a story placed at (`column`, `top`) over `columns`, or `None` when
    /// no class keeps the page's rules.
    fn head_class(
        &self,
        leads: bool,
        brief: bool,
        column: u32,
        columns: u32,
        top: u32,
    ) -> Option<HeadClass> {
        let mut head = match (brief, leads) {
            (true, _) => HeadClass::Brief,
            (false, true) => return Some(HeadClass::Lead),
            (false, false) if top == 0 || columns >= 2 => HeadClass::Secondary,
            (false, false) => HeadClass::Tertiary,
        };
        // Never larger than a head higher on the page.
        let above =
            |p: &&Placement| p.top < top && !p.part.continued() && p.head != HeadClass::Brief;
        for p in self.placements.iter().filter(above) {
            if rank(p.head) < rank(head) {
                head = p.head;
            }
        }
        // No tombstone: a head of the same class beside it at the same height.
        let beside = |p: &&Placement| {
            p.top == top
                && !p.part.continued()
                && (p.first_column + p.columns == column || column + columns == p.first_column)
        };
        if self.placements.iter().filter(beside).any(|p| p.head == head) {
            head = match head {
                HeadClass::Secondary => HeadClass::Tertiary,
                _ => return None,
            };
            if self.placements.iter().filter(beside).any(|p| p.head == head) {
                return None;
            }
        }
        Some(head)
    }

    /// Whether `p` fits under every column's limit and leaves under it either nothing or a
    /// strip a story can take.
    fn leaves_room(&self, p: &Placement) -> bool {
        (p.first_column..p.first_column + p.columns).all(|c| {
            let limit = self.area.limits[c as usize];
            let bottom = p.top + p.depth;
            bottom <= limit && (bottom == limit || limit - bottom >= MIN_STRIP)
        })
    }

    /// Whether `p` fits under every column's limit.
    fn fits(&self, p: &Placement) -> bool {
        let limits = &self.area.limits[p.first_column as usize..][..p.columns as usize];
        limits.iter().all(|limit| p.top + p.depth <= *limit)
    }

    fn place(&mut self, p: Placement) -> u32 {
        let before = self.fill[p.first_column as usize];
        for c in p.first_column..p.first_column + p.columns {
            self.fill[c as usize] = p.top + p.depth;
        }
        self.placements.push(p);
        before
    }

    fn unplace(&mut self, p: Placement, before: u32) {
        for c in p.first_column..p.first_column + p.columns {
            self.fill[c as usize] = before;
        }
        self.placements.pop();
    }

    /// When any story on the page has a photo, some frame shows one over two columns or
    /// more (a page with only one-column frames cannot, and passes).
    fn photo_rule_holds(&mut self) -> bool {
        if !self.photo_rule {
            return true;
        }
        let has =
            self.placements.iter().any(|p| !p.part.continued() && self.shapes.has_photo(p.story));
        let wide = self.placements.iter().any(|p| p.photo && p.columns >= 2);
        let possible = self.placements.iter().any(|p| p.columns >= 2 && !p.part.continued());
        !has || wide || !possible
    }

    /// Whether every frame placed by the search fills exactly, by the exact test.
    fn verified(&mut self) -> bool {
        let Search { placements, shapes, .. } = self;
        placements.iter().filter(|p| p.part == Part::Whole).all(|p| shapes.fit_after(p) == 0)
    }

    /// Closes the page with a story that jumps to the next: the longest start of the
    /// fullest try (after the `given` frames) whose stories all fill exactly and that leaves
    /// a rectangle free down to the foot, that rectangle then taken by the first story of
    /// the window that overflows it and whose rest fits the next page; the first `skip`
    /// such closings passed over. `None` when no start and story allow it.
    fn close_with_jump(&mut self, given: usize) -> Option<Vec<Placement>> {
        let (_, fullest) = self.best.clone()?;
        for keep in (given..=fullest.len()).rev() {
            let prefix = &fullest[..keep];
            if !prefix[given..].iter().all(|p| self.shapes.fit_after(p) == 0) {
                continue;
            }
            self.placements = prefix.to_vec();
            self.fill = self.area.skyline(prefix);
            if let Some(jump) = self.jump_into_hole() {
                self.placements.push(jump);
                return Some(std::mem::take(&mut self.placements));
            }
        }
        None
    }

    /// A frame for a story of the window that jumps from the page's free area, when that
    /// area is one rectangle down to the foot; the first `skip` such frames passed over.
    fn jump_into_hole(&mut self) -> Option<Placement> {
        let (column, top, run) = self.highest_empty_cell()?;
        let limits = &self.area.limits;
        let limit = limits[column as usize];
        let in_run = |c: u32| c >= column && c < column + run;
        let rectangle = (0..limits.len() as u32).all(|c| {
            let (fill, foot) = (self.fill[c as usize], limits[c as usize]);
            if in_run(c) { foot == limit } else { fill == foot }
        });
        let rule = if top > 0 { RULE_LINES } else { 0 };
        if !rectangle || limit < top + rule + MIN_JUMP_FRAME {
            return None;
        }
        let depth = limit - top - rule;
        let leads = self.lead_first && self.placements.is_empty();
        let used: Vec<usize> = self.placements.iter().map(|p| p.story).collect();
        let candidates: Vec<usize> = if leads {
            self.window.iter().copied().find(|s| !self.shapes.is_brief(*s)).into_iter().collect()
        } else {
            // A brief is read whole where it stands: it never jumps.
            let free = |s: &usize| {
                !used.contains(s) && !self.shapes.leads_only(*s) && !self.shapes.is_brief(*s)
            };
            self.window.iter().copied().filter(free).collect()
        };
        for story in candidates {
            if !self.shapes.widths(story).contains(&run) {
                continue;
            }
            let brief = self.shapes.is_brief(story);
            let Some(head) = self.head_class(leads, brief, column, run, top) else { continue };
            for &photo in self.shapes.photo_options(story) {
                if self.shapes.jump_rest(story, run, photo, head, depth).is_empty() {
                    continue;
                }
                let jump = Placement {
                    story,
                    first_column: column,
                    columns: run,
                    top,
                    depth: depth + rule,
                    head,
                    photo,
                    part: Part::Jumps,
                };
                self.placements.push(jump);
                let holds = self.photo_rule_holds();
                self.placements.pop();
                if holds && *self.skip == 0 {
                    return Some(jump);
                }
                *self.skip = self.skip.saturating_sub(usize::from(holds));
            }
        }
        None
    }

    /// Keeps the placements with `last` after them as the fullest leaf when they fill more.
    fn keep_fullest_leaf(&mut self, last: Placement) {
        let filled: u32 = self.placements.iter().map(|p| p.columns * p.depth).sum::<u32>()
            + last.columns * last.depth;
        if self.fullest_leaf.as_ref().is_none_or(|(best, _)| filled > *best) {
            let mut placements = self.placements.clone();
            placements.push(last);
            self.fullest_leaf = Some((filled, placements));
        }
    }

    fn keep_best(&mut self) {
        let filled: u32 = self.placements.iter().map(|p| p.columns * p.depth).sum();
        if self.best.as_ref().is_none_or(|(best, _)| filled > *best) {
            self.best = Some((filled, self.placements.clone()));
        }
    }
}

/// Rank of a head class, larger for a larger head.
pub(super) fn rank(head: HeadClass) -> u8 {
    match head {
        HeadClass::Lead => 3,
        HeadClass::Secondary => 2,
        HeadClass::Tertiary => 1,
        HeadClass::Brief => 0,
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
