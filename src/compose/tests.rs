//! Tests of frames and placement on real set articles.

use std::path::PathBuf;

use super::article::{ArticleParts, set_article};
use super::display::Item;
use super::flow::{Cursor, Flowable};
use super::*;
use crate::fonts::FontBook;
use crate::load::default_config;
use crate::model::{Article, Block, BlockKind, InlineRun, Lang};

/// A text engine with the fonts of `config`, for the tests of compose's modules.
pub(super) fn engine(config: &IssueConfig) -> TextEngine {
    TextEngine::new(FontBook::new(&config.fonts).unwrap(), &config.hyphenation)
}

/// An article of `paragraphs` paragraphs of running text, no photo.
fn article(paragraphs: usize) -> Article {
    let text = "Le conseil municipal a voté mardi le budget de l'année prochaine, après trois \
                heures de débats sur la rénovation des écoles et l'éclairage des rues. ";
    Article {
        path: PathBuf::from("a.md"),
        lang: Lang::Fr,
        kicker: None,
        title: "Le budget voté".to_string(),
        standfirst: None,
        author: None,
        date: None,
        updated: None,
        access: None,
        url: None,
        url_line: None,
        short_url: None,
        short_url_line: None,
        keywords: Vec::new(),
        photo: None,
        reading_time: None,
        body: (0..paragraphs)
            .map(|i| Block {
                kind: BlockKind::Paragraph(vec![InlineRun::plain(text.repeat(2 + i % 3))]),
                line: 5 + 2 * i,
            })
            .collect(),
        warnings: Vec::new(),
        draft: false,
    }
}

fn set(config: &IssueConfig, engine: &TextEngine, paragraphs: usize) -> ArticleParts {
    let grid = Grid::new(config);
    set_article(engine, config, &grid, &article(paragraphs), None, None).unwrap()
}

/// The text of every body line, in reading order.
fn body_lines(parts: &ArticleParts) -> Vec<String> {
    parts
        .body
        .iter()
        .flat_map(|f| match f {
            Flowable::Lines(p) => p.lines.clone(),
            Flowable::Block(_) => Vec::new(),
        })
        .map(|line| line.runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" "))
        .collect()
}

/// The text items of `items` joined per baseline and column, in placement order.
fn placed_lines(items: &[Item], grid: &Grid) -> Vec<String> {
    let mut lines: Vec<((i64, i64), Vec<String>)> = Vec::new();
    for item in items {
        if let Item::Text { x, y, run, .. } = item {
            let column = ((x - grid.area.x) / (grid.column_width + grid.gutter)).floor() as i64;
            let key = (column, (y * 100.0).round() as i64);
            match lines.last_mut() {
                Some((k, words)) if *k == key => words.push(run.text.clone()),
                _ => lines.push((key, vec![run.text.clone()])),
            }
        }
    }
    lines.into_iter().map(|(_, words)| words.join(" ")).collect()
}

#[test]
fn a_body_continued_through_narrow_frames_places_every_line_once_inside_them() {
    let config = default_config();
    let engine = engine(&config);
    let layout = Layout::new(&engine, &config);
    let grid = &layout.grid;
    let parts = set(&config, &engine, 14);
    // The last two of three columns, on the lower half of the page.
    let top = layout.content_top(2) + 20.0 * grid.baseline;
    let frame =
        Frame { first_column: 1, columns: 2, top, bottom: grid.area.bottom(), grid_top: top };
    let (left, right) = (frame.left(grid), frame.right(grid));
    assert_eq!(left, grid.column_x(1));
    assert_eq!(right, grid.area.right());

    let mut start = ArticleStart::Continued(Cursor::default());
    let mut placed = Vec::new();
    let mut frames = 0;
    loop {
        frames += 1;
        assert!(frames < 20, "the placement moves forward");
        let part = place_article(&parts, &frame, start, None, &layout);
        assert!(!part.overset);
        assert!(part.bottom <= frame.bottom + 0.01, "{} > {}", part.bottom, frame.bottom);
        for item in &part.items {
            if let Item::Text { x, y, run, .. } = item {
                let end = run.glyphs.last().map_or(0.0, |g| g.x + g.advance);
                // Inside the frame, but for what of an edge glyph hangs out (protrusion: at
                // most 70 % of a full stop's or hyphen's width).
                let hang = |g: Option<&crate::text::Glyph>| g.map_or(0.0, |g| 0.7 * g.advance);
                let (start, stop) = (x + run.x, x + run.x + end);
                assert!(start >= left - hang(run.glyphs.first()) - 0.01, "{run:?}");
                assert!(stop <= right + hang(run.glyphs.last()) + 0.01, "{run:?}");
                assert!(*y > frame.top && *y <= frame.bottom, "baseline {y} outside the frame");
            }
        }
        placed.extend(placed_lines(&part.items, grid));
        match part.next {
            Some(next) => start = next,
            None => break,
        }
    }
    assert!(frames > 1, "fourteen paragraphs need more than half a page of two columns");
    assert_eq!(placed, body_lines(&parts));
}

#[test]
fn an_article_that_goes_on_ends_its_frame_with_a_jump_line() {
    let config = default_config();
    let engine = engine(&config);
    let layout = Layout::new(&engine, &config);
    let grid = &layout.grid;
    let parts = set(&config, &engine, 30);
    let top = layout.content_top(1);
    let frame = Frame::across(grid, top, top);
    assert!(!article_fits(&parts, &frame, Headline::Main, grid));
    let part = place_article(&parts, &frame, ArticleStart::Head(Headline::Main), Some(7), &layout);
    assert!(matches!(part.next, Some(ArticleStart::Continued(c)) if c.piece > 0));
    let lines = placed_lines(&part.items, grid);
    assert_eq!(lines.last().map(String::as_str), Some("Suite page 7"), "{lines:?}");
    // Without a page to jump to, the column keeps its last line for text.
    let part = place_article(&parts, &frame, ArticleStart::Head(Headline::Main), None, &layout);
    assert!(!placed_lines(&part.items, grid).iter().any(|l| l.starts_with("Suite")));
}

#[test]
fn an_article_that_fits_a_frame_ends_in_it() {
    let config = default_config();
    let engine = engine(&config);
    let layout = Layout::new(&engine, &config);
    let grid = &layout.grid;
    let parts = set(&config, &engine, 3);
    let grid_top = layout.content_top(1);
    // Off the grid: what the frame holds snaps to the page's grid all the same.
    let top = grid_top + 30.4 * grid.baseline;
    let frame = Frame::across(grid, top, grid_top);
    assert!(article_fits(&parts, &frame, Headline::Secondary, grid));
    let part =
        place_article(&parts, &frame, ArticleStart::Head(Headline::Secondary), Some(2), &layout);
    assert!(part.next.is_none() && !part.overset);
    assert!(part.bottom > top && part.bottom <= frame.bottom);
    // The body starts on the page's baseline grid, half a line under the head's rule.
    let rule_y = part.items.iter().find_map(|item| match item {
        Item::Rule { from, .. } if from.1 > top => Some(from.1),
        _ => None,
    });
    let lines_down = (rule_y.unwrap() + 0.5 * grid.baseline - grid_top) / grid.baseline;
    assert!((lines_down - lines_down.round()).abs() < 1e-3, "{lines_down}");
    assert_eq!(placed_lines(&part.items, grid).last(), body_lines(&parts).last());
}

#[test]
fn a_measured_placement_is_the_drawn_one_without_its_items() {
    let config = default_config();
    let engine = engine(&config);
    let layout = Layout::new(&engine, &config);
    let grid = &layout.grid;
    let top = layout.content_top(1);
    // A story that ends in its frame (with the empty slots under it), one that jumps from
    // it and a continuation of it.
    let short = set(&config, &engine, 3);
    let long = set(&config, &engine, 30);
    let frame = Frame::across(grid, top, top);
    let cases = [
        (&short, ArticleStart::Head(Headline::Main), None),
        (&long, ArticleStart::Head(Headline::Secondary), Some(4)),
        (&long, ArticleStart::Continued(Cursor { piece: 3, ..Cursor::default() }), None),
    ];
    for (parts, start, jump_to) in cases {
        let drawn = place_article(parts, &frame, start, jump_to, &layout);
        let measured = measure_article(parts, &frame, start, jump_to, &layout);
        assert!(!drawn.items.is_empty() && measured.items.is_empty());
        assert_eq!(measured.bottom, drawn.bottom, "{start:?}");
        assert_eq!(measured.overset, drawn.overset);
        assert_eq!(measured.next, drawn.next);
        assert_eq!(measured.empty_lines, drawn.empty_lines);
        assert_eq!(measured.column_lines, drawn.column_lines);
        // The make-up takes a placement's findings from its measure.
        assert_eq!(measured.warnings, drawn.warnings);
    }
}

#[test]
fn the_made_up_pages_hold_each_placement_where_its_range_says() {
    // The make-up measures the placements in turn and draws them all at its end: each
    // one's items must land at its range, on its page, in the order of the page.
    let config = default_config();
    let engine = engine(&config);
    let grid = Grid::new(&config);
    let titles = ["Le budget voté", "La gare rouvre", "Le pont attendra", "Victoire du club"];
    let stories: Vec<ArticleParts> = titles
        .iter()
        .zip([3, 40, 2, 4])
        .map(|(title, paragraphs)| {
            let article = Article { title: title.to_string(), ..article(paragraphs) };
            set_article(&engine, &config, &grid, &article, None, None).unwrap()
        })
        .collect();
    let refs: Vec<&ArticleParts> = stories.iter().collect();
    let band = BoilerplateBand { blocks: Vec::new(), warnings: Vec::new() };
    let made = compose(&engine, &config, &refs, &band, 1);
    assert!(made.articles[1].pages.len() > 1, "the long story turns a page");
    let text_in = |page: u32, range: &std::ops::Range<usize>| -> String {
        let items = &made.pages[page as usize - 1].items[range.clone()];
        placed_lines(items, &grid).join(" ")
    };
    for (placement, title) in made.articles.iter().zip(titles) {
        let (page, range) = &placement.drawn[0];
        assert!(text_in(*page, range).contains(title), "{title} heads its first range");
        for (page, range) in &placement.drawn {
            let text = text_in(*page, range);
            assert!(!text.is_empty(), "{title}: page {page} {range:?}");
            for other in titles.iter().filter(|t| **t != title) {
                assert!(!text.contains(other), "{other} in the range of {title}");
            }
        }
    }
    // On each page the ranges follow one another without overlapping.
    for page in &made.pages {
        let mut ranges: Vec<&std::ops::Range<usize>> = made
            .articles
            .iter()
            .flat_map(|p| &p.drawn)
            .filter(|(number, _)| *number == page.number)
            .map(|(_, range)| range)
            .collect();
        ranges.sort_by_key(|r| r.start);
        assert!(ranges.windows(2).all(|w| w[0].end <= w[1].start), "{ranges:?}");
        assert!(ranges.iter().all(|r| r.end <= page.items.len()));
    }
}
