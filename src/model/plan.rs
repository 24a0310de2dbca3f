//! The page plan (flatplan, *chemin de fer*) of an issue: which frames each page has on the
//! column grid and what goes in each. Made by `load` from the `pages:` list of `issue.yaml`,
//! read by `compose` (make-up) and the drivers (which articles are set for which frame).
//!
//! Positions are in whole lines of the page's baseline grid, counted from the top of the
//! page's text (under the masthead or folio band), so frames of a page share one grid.

use std::path::PathBuf;

use super::IssueConfig;

/// The plan of the planned pages, numbered from 1 in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PagePlan {
    /// The pages, in order: `pages[0]` is page 1.
    pub pages: Vec<PlannedPage>,
    /// The copyfit steps allowed (`copyfit:` in `issue.yaml`), in cascade order.
    pub fit_steps: Vec<FitStepKind>,
}

/// One planned page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPage {
    /// Section name printed in the folio ("Économie").
    pub section: Option<String>,
    /// Its frames, in the order written.
    pub frames: Vec<PlannedFrame>,
}

/// A frame: a rectangle of whole columns and whole lines of the page grid.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFrame {
    /// Its name in messages and proofs: the one written, or `p{page}/{n}`.
    pub name: String,
    /// Line of the frame in `issue.yaml`.
    pub line: usize,
    /// First column, 0-based.
    pub first_column: u32,
    /// Columns spanned (at least 1).
    pub columns: u32,
    /// Top edge, in lines under the top of the page's text.
    pub top: u32,
    /// Depth in lines (at least 1).
    pub depth: u32,
    /// What goes in it.
    pub content: FrameContent,
}

/// What a frame holds.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameContent {
    /// A story: `article` indexes the issue's articles. The first frame naming an article
    /// takes its head; a later one its continuation ("Suite de la page N").
    Story {
        /// Index into [`crate::model::Issue::articles`].
        article: usize,
        /// Size and layout of its head.
        head: HeadClass,
        /// Page the story jumps to when it does not fit ("Suite page N").
        continues: Option<u32>,
        /// Its photo's size in this frame, or none.
        photo: FramePhoto,
    },
    /// Short items stacked under a section label.
    Briefs {
        /// The label over the items; `None` for the language's ("En bref").
        label: Option<String>,
        /// Indices into the issue's articles, in order.
        articles: Vec<usize>,
    },
    /// An advertisement filling the frame.
    Ad {
        /// The ad as delivered (PDF page, JPEG or PNG); `None` for a placeholder box.
        file: Option<AdFile>,
    },
    /// The publication's own ad (`ad: house`): its boilerplate blocks (subscription,
    /// donation) in a tinted box, centred in the frame. The automatic make-up fills the hole
    /// left where the copy runs out with it, as newspapers do with house ads.
    House,
}

/// The lead photo of a story frame, as the plan asks for it (`photo:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FramePhoto {
    /// As the article and issue set it: their `photo.columns`, a 3:2 depth (or the
    /// photo's own shape when 3:2 would crop it past `photo.max_crop_percent`).
    #[default]
    AsSet,
    /// Sized by the plan; what is not given stays as the article and issue set it.
    Sized {
        /// Columns it spans, at most the frame's.
        columns: Option<u32>,
        /// Its own depth in grid lines (the credit and caption go under it), at most the
        /// frame's.
        depth: Option<u32>,
        /// Whether it stands beside the head, from the frame's top in its last `columns`
        /// (given, and fewer than the frame's), rather than under a head across the frame.
        beside_head: bool,
    },
    /// The story is printed without its photo (`photo: none`).
    Off,
}

/// An ad file, checked readable at load.
#[derive(Debug, Clone, PartialEq)]
pub struct AdFile {
    /// The file.
    pub path: PathBuf,
    /// Its size: pixels of a JPEG or PNG, points of a PDF page's trim (or crop or media)
    /// box. The ad is scaled to fit its frame whole, never cropped.
    pub size: (f32, f32),
    /// Whether it is a PDF page (embedded as a form XObject) rather than an image.
    pub pdf: bool,
}

/// The head class of a story: its headline size and head layout, in the page's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadClass {
    /// The page's main story: the full headline.
    Lead,
    /// A second story: three quarters of the lead's headline.
    Secondary,
    /// A smaller story: 60 % of the lead's headline.
    Tertiary,
    /// A brief: a small headline and no meta line or keywords.
    Brief,
}

impl HeadClass {
    /// The names written in `issue.yaml`, with their class.
    pub const NAMES: [(&'static str, HeadClass); 4] = [
        ("lead", HeadClass::Lead),
        ("secondary", HeadClass::Secondary),
        ("tertiary", HeadClass::Tertiary),
        ("brief", HeadClass::Brief),
    ];

    /// Headline size relative to the `headline` style.
    pub fn scale(self) -> f32 {
        match self {
            HeadClass::Lead => 1.0,
            HeadClass::Secondary => 0.75,
            HeadClass::Tertiary => 0.6,
            HeadClass::Brief => 0.45,
        }
    }

    /// The class one size step larger (copyfit, to fill an underset frame), if any.
    pub fn larger(self) -> Option<HeadClass> {
        match self {
            HeadClass::Lead => None,
            HeadClass::Secondary => Some(HeadClass::Lead),
            HeadClass::Tertiary => Some(HeadClass::Secondary),
            HeadClass::Brief => Some(HeadClass::Tertiary),
        }
    }

    /// The class one size step smaller (copyfit), if any.
    pub fn smaller(self) -> Option<HeadClass> {
        match self {
            HeadClass::Lead => Some(HeadClass::Secondary),
            HeadClass::Secondary => Some(HeadClass::Tertiary),
            HeadClass::Tertiary | HeadClass::Brief => None,
        }
    }
}

impl IssueConfig {
    /// Height of the band at the top of page `number` (the masthead on page 1, the folio
    /// elsewhere, each with a line of air), on the baseline grid: the plan counts lines from
    /// under it, and compose draws it.
    pub fn furniture_band(&self, number: u32) -> f32 {
        let leading =
            if number == 1 { self.styles.masthead.leading } else { self.styles.folio.leading };
        let grid = self.page.baseline;
        if grid <= 0.0 {
            return leading;
        }
        // Rounded up to whole steps, with the same slack as the composer's snapping.
        ((leading + grid) / grid - 1e-3).ceil() * grid
    }

    /// Whole lines of the baseline grid between the band at the top of page `number` and
    /// the foot of the type area.
    pub fn text_lines(&self, number: u32) -> u32 {
        let page = &self.page;
        let height = page.height - page.margin_top - page.margin_bottom;
        let room = height - self.furniture_band(number);
        if page.baseline <= 0.0 || room <= 0.0 {
            return 0;
        }
        // Float slack: a type area of exactly N lines holds N.
        ((room + 0.01) / page.baseline).floor() as u32
    }
}

/// A step of the copyfit cascade, in cascade order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitStepKind {
    /// Paragraphs one line shorter or longer within the line breaker's tolerance.
    Looseness,
    /// Whole paragraphs with ±1 % tracking.
    Tracking,
    /// The lead photo's depth, within its crop limits.
    PhotoDepth,
    /// The head one size step smaller.
    Headline,
}

impl FitStepKind {
    /// Every step, in cascade order, with the name `issue.yaml` and the report use.
    pub const ALL: [(&'static str, FitStepKind); 4] = [
        ("looseness", FitStepKind::Looseness),
        ("tracking", FitStepKind::Tracking),
        ("photo", FitStepKind::PhotoDepth),
        ("headline", FitStepKind::Headline),
    ];

    /// Its name in `issue.yaml` and the JSON report.
    pub fn name(self) -> &'static str {
        FitStepKind::ALL.iter().find(|(_, k)| *k == self).map_or("", |(n, _)| n)
    }
}

/// Automatic make-up (`pages: auto`): what the planner is given besides the stories, which
/// are the issue's articles in priority order.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoMakeup {
    /// Pages to make up: `None` for as many as the stories need.
    pub pages: Option<u32>,
    /// The page count is rounded up to a multiple of this (4 for imposition; 1 rounds
    /// nothing). Pages added by the rounding are left empty, and reported.
    pub multiple_of: u32,
    /// The ads, each with its page number (1-based), as frames built up from the page's foot.
    pub ads: Vec<(u32, PlannedFrame)>,
    /// The section name of each page, by page (index 0 is page 1); a page past the list, or
    /// with `None`, takes the section of its lead story's hint, if any.
    pub sections: Vec<Option<String>>,
    /// Per article of the issue (by index), what the layout desk asks of its placement.
    pub hints: Vec<StoryHint>,
    /// The copyfit steps allowed (`copyfit:`), in cascade order.
    pub fit_steps: Vec<FitStepKind>,
    /// `house_ad: true`: the white the stories leave on a page (the last, where the copy
    /// runs out, or one no arrangement of its stories fills) is filled with the
    /// publication's house ad ([`FrameContent::House`]), built up from the foot.
    pub house_ad: bool,
}

/// What the layout desk asks of one story's automatic placement (`auto.stories`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryHint {
    /// `priority: lead`: the story leads its page (first frame, top of the page).
    pub lead: bool,
    /// Fewest columns its frame may span.
    pub min_columns: Option<u32>,
    /// Most columns its frame may span.
    pub max_columns: Option<u32>,
    /// The page it must start on.
    pub page: Option<u32>,
    /// The section of the page it leads.
    pub section: Option<String>,
    /// `with_photo: true` keeps its photo in every shape; `false` sets it without.
    pub with_photo: Option<bool>,
}
