//! Article bodies: Markdown (pulldown-cmark) to [`Block`]s, each with its source line.
//!
//! What a journalist can type, and what it becomes:
//!
//! | Markdown | block or span |
//! |---|---|
//! | a paragraph | [`BlockKind::Paragraph`] |
//! | `## Intertitle` (any heading level) | [`BlockKind::Intertitle`] |
//! | `> quoted text` | [`BlockKind::Quote`] (a pull quote) |
//! | `- item` or `* item` (also numbered) | [`BlockKind::List`] |
//! | `*italic*`, `**bold**` | [`InlineRun::emphasis`] |
//! | `[text](https://…)` | the text only; if the text is itself an address it is verbatim |
//! | `` `code` ``, `<https://…>` | a verbatim span (no hyphenation, no typographic rules) |
//!
//! A boxed sidebar (encadré) is a fenced container in the style of Pandoc's fenced divs, so it
//! still reads as plain text in any Markdown viewer:
//!
//! ```text
//! :::encadre Le Kazakhstan et les BRICS+
//! — Partenaire invité aux sommets BRICS+
//! — Fournisseur énergétique pour la Chine et l’Inde
//! :::
//! ```
//!
//! The opening line is three or more colons, a name (`encadre`, `encadré`, `sidebar` or
//! `box`) and the title. The content, up to a line of colons alone, is Markdown: paragraphs
//! and lists. Inside a sidebar, lines starting with an em dash or en dash (`— `, `– `) or a
//! bullet (`• `) are list items too, since that is how such lists arrive from a word
//! processor or a web page. Outside sidebars a leading dash stays text: in French it opens
//! a line of dialogue.
//!
//! Images, raw HTML and code blocks have no place in a print body: images and HTML are
//! dropped with a warning, a code block is kept as a verbatim paragraph with a warning.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::source::Source;
use crate::diag::{Diagnostic, closest};
use crate::model::{Block, BlockKind, Emphasis, InlineRun};

/// Container names accepted after `:::`.
pub const SIDEBAR_NAMES: &[&str] = &["encadre", "encadré", "sidebar", "box"];

/// Parses an article body. `body` is the text after the front matter and `first_line` the
/// file line it starts on. Returns the blocks and any diagnostics (warnings, and errors
/// for malformed containers).
pub fn parse_body(source: &Source, body: &str, first_line: usize) -> (Vec<Block>, Vec<Diagnostic>) {
    let mut blocks = Vec::new();
    let mut diagnostics = Vec::new();
    let lines: Vec<&str> = body.split('\n').collect();
    let mut chunk = String::new();
    let mut chunk_line = first_line;
    let mut i = 0;
    while i < lines.len() {
        let line_no = first_line + i;
        let Some(opener) = container_opener(lines[i]) else {
            if is_container_close(lines[i]) {
                diagnostics.push(
                    source
                        .error_at("invalid-value", "`:::` closes no sidebar", line_no, 1)
                        .field("body")
                        .hint("a sidebar opens with `:::encadre Title`; delete the extra `:::`"),
                );
                i += 1;
                continue;
            }
            if chunk.is_empty() {
                chunk_line = line_no;
            }
            chunk.push_str(lines[i]);
            chunk.push('\n');
            i += 1;
            continue;
        };
        flush_chunk(source, &mut chunk, chunk_line, &mut blocks, &mut diagnostics);
        let (name, title) = opener;
        if !SIDEBAR_NAMES.contains(&name.to_lowercase().as_str()) {
            let mut d = source.error_at(
                "invalid-value",
                format!("unknown container `:::{name}`"),
                line_no,
                1,
            );
            d = d.field("body").hint(match closest(&name, SIDEBAR_NAMES.iter().copied()) {
                Some(close) => format!("did you mean `:::{close}`?"),
                None => "a sidebar opens with `:::encadre Title` and closes with `:::`".into(),
            });
            diagnostics.push(d);
        }
        // Content runs to the closing line of colons, or to the end with an error.
        let start = i + 1;
        let end = (start..lines.len()).find(|&j| is_container_close(lines[j]));
        if end.is_none() {
            diagnostics.push(
                source
                    .error_at("invalid-value", "sidebar is never closed", line_no, 1)
                    .field("body")
                    .hint("end the sidebar with a line containing only `:::`"),
            );
        }
        let end = end.unwrap_or(lines.len());
        // Sidebars do not nest: the first `:::` closes the outer one, so an inner opener
        // would otherwise print as text and leave a stray `:::` behind.
        if let Some(inner) = (start..end).find(|&j| container_opener(lines[j]).is_some()) {
            diagnostics.push(
                source
                    .error_at(
                        "invalid-value",
                        "a sidebar cannot contain another sidebar",
                        first_line + inner,
                        1,
                    )
                    .field("body")
                    .hint(format!(
                        "close the sidebar opened on line {line_no} with `:::` before opening the next"
                    )),
            );
        }
        let content: String =
            lines[start..end].iter().map(|l| dash_item(l)).collect::<Vec<_>>().join("\n");
        let mut builder = Builder::new(source, &content, first_line + start);
        builder.run();
        diagnostics.append(&mut builder.diagnostics);
        let mut inner = builder.blocks;
        let mut title = parse_inline(&title);
        if title.is_empty()
            && matches!(inner.first().map(|b| &b.kind), Some(BlockKind::Intertitle(_)))
            && let BlockKind::Intertitle(spans) = inner.remove(0).kind
        {
            title = spans;
        }
        let inner = inner
            .into_iter()
            .map(|b| match b.kind {
                BlockKind::Intertitle(s) | BlockKind::Quote(s) => {
                    Block { kind: BlockKind::Paragraph(s), line: b.line }
                }
                _ => b,
            })
            .collect();
        blocks.push(Block { kind: BlockKind::Sidebar { title, blocks: inner }, line: line_no });
        i = end + 1;
    }
    flush_chunk(source, &mut chunk, chunk_line, &mut blocks, &mut diagnostics);
    (blocks, diagnostics)
}

/// Parses inline Markdown (`*italic*`, `**bold**`, links) into spans, for short texts such as
/// boilerplate and sidebar titles.
pub fn parse_inline(text: &str) -> Vec<InlineRun> {
    let source = Source::new("", text);
    let mut builder = Builder::new(&source, text, 1);
    builder.run();
    builder
        .blocks
        .into_iter()
        .flat_map(|b| match b.kind {
            BlockKind::Paragraph(s) | BlockKind::Intertitle(s) | BlockKind::Quote(s) => s,
            BlockKind::List(items) => items.concat(),
            BlockKind::Sidebar { title, .. } => title,
        })
        .collect()
}

fn flush_chunk(
    source: &Source,
    chunk: &mut String,
    line: usize,
    blocks: &mut Vec<Block>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if chunk.trim().is_empty() {
        chunk.clear();
        return;
    }
    let mut builder = Builder::new(source, chunk, line);
    builder.run();
    blocks.append(&mut builder.blocks);
    diagnostics.append(&mut builder.diagnostics);
    chunk.clear();
}

/// `:::name Title` → `(name, title)`.
fn container_opener(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix(":::")?;
    let rest = rest.trim_start_matches(':').trim();
    // Pandoc writes `::: {.encadre}`; accept that spelling of the name too.
    let rest = rest.trim_start_matches(['{', '.']);
    let name_end = rest.find(|c: char| c.is_whitespace() || c == '}').unwrap_or(rest.len());
    let name = &rest[..name_end];
    if name.is_empty() {
        return None;
    }
    let title = rest[name_end..].trim_start_matches('}').trim();
    Some((name.to_string(), title.to_string()))
}

fn is_container_close(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.chars().all(|c| c == ':')
}

/// Rewrites a dash- or bullet-led line as a Markdown list item (inside sidebars).
fn dash_item(line: &str) -> String {
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    for dash in ['—', '–', '•'] {
        if let Some(rest) = body.strip_prefix(dash)
            && rest.starts_with([' ', '\u{a0}', '\u{202f}'])
        {
            return format!("{indent}- {}", rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']));
        }
    }
    line.to_string()
}

/// What the builder is filling.
enum Container {
    /// Top level: each paragraph or heading is a block.
    None,
    /// A quote: all inner text joins one block.
    Quote { line: usize },
    /// A list: one entry per item.
    List { line: usize, items: Vec<Vec<InlineRun>> },
}

/// Turns pulldown-cmark events of one chunk into blocks.
struct Builder<'a> {
    source: &'a Source,
    text: &'a str,
    first_line: usize,
    blocks: Vec<Block>,
    diagnostics: Vec<Diagnostic>,
    container: Container,
    quote_depth: usize,
    list_depth: usize,
    /// The paragraph or heading being filled at top level, with its line.
    leaf: Option<(bool, usize)>,
    spans: Vec<InlineRun>,
    bold: usize,
    italic: usize,
    link_start: Option<(usize, String)>,
    image_depth: usize,
    code_line: Option<usize>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a Source, text: &'a str, first_line: usize) -> Self {
        Builder {
            source,
            text,
            first_line,
            blocks: Vec::new(),
            diagnostics: Vec::new(),
            container: Container::None,
            quote_depth: 0,
            list_depth: 0,
            leaf: None,
            spans: Vec::new(),
            bold: 0,
            italic: 0,
            link_start: None,
            image_depth: 0,
            code_line: None,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.first_line + self.text[..offset.min(self.text.len())].matches('\n').count()
    }

    fn warn(&mut self, kind: &'static str, message: &str, line: usize, hint: &str) {
        let d = self.source.warning_at(kind, message, line, 1).field("body").hint(hint);
        self.diagnostics.push(d);
    }

    fn run(&mut self) {
        let parser = Parser::new_ext(self.text, Options::empty()).into_offset_iter();
        for (event, range) in parser {
            let line = self.line_of(range.start);
            self.event(event, line);
        }
    }

    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(Tag::Paragraph) => self.begin_leaf(false, line),
            Event::Start(Tag::Heading { .. }) => self.begin_leaf(true, line),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => self.end_leaf(),
            Event::Start(Tag::BlockQuote(_)) => {
                self.quote_depth += 1;
                if matches!(self.container, Container::None) {
                    self.container = Container::Quote { line };
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.quote_depth -= 1;
                if self.quote_depth == 0
                    && let Container::Quote { line } = self.container
                {
                    let spans = self.take_spans();
                    if !spans.is_empty() {
                        self.blocks.push(Block { kind: BlockKind::Quote(spans), line });
                    }
                    self.container = Container::None;
                }
            }
            Event::Start(Tag::List(_)) => {
                self.list_depth += 1;
                if matches!(self.container, Container::None) {
                    self.container = Container::List { line, items: Vec::new() };
                }
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth -= 1;
                if self.list_depth == 0 {
                    self.end_item();
                    if let Container::List { line, items } =
                        std::mem::replace(&mut self.container, Container::None)
                    {
                        self.blocks.push(Block { kind: BlockKind::List(items), line });
                    } else if self.quote_depth > 0 {
                        // A list inside a quote: put it back, the quote is still open.
                        self.container = Container::Quote { line };
                    }
                }
            }
            // A nested item closes the text of its parent item first.
            Event::Start(Tag::Item) | Event::End(TagEnd::Item) => self.end_item(),
            Event::Start(Tag::CodeBlock(_)) => {
                self.begin_leaf(false, line);
                self.code_line = Some(line);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_line = None;
                if let Some(last) = self.spans.last_mut() {
                    last.text = last.text.trim_end().to_string();
                }
                self.end_leaf();
                self.warn(
                    "unsupported-markdown",
                    "code block kept as a verbatim paragraph",
                    line,
                    "an indented or fenced block is code in Markdown; remove the indentation for a paragraph",
                );
            }
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link_start = Some((self.spans.len(), dest_url.to_string()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((start, dest)) = self.link_start.take() {
                    let text: String =
                        self.spans[start..].iter().map(|s| s.text.as_str()).collect();
                    if text == dest || looks_like_url(&text) {
                        self.spans[start..].iter_mut().for_each(|s| s.verbatim = true);
                    }
                }
            }
            Event::Start(Tag::Image { .. }) => {
                self.image_depth += 1;
                self.warn(
                    "unsupported-markdown",
                    "image in the body ignored",
                    line,
                    "give the lead photo in the front matter: photo: { file: ..., credit: ... }",
                );
            }
            Event::End(TagEnd::Image) => self.image_depth = self.image_depth.saturating_sub(1),
            Event::Text(text) if self.image_depth == 0 => {
                let verbatim = self.code_line.is_some();
                self.push(&text, verbatim);
            }
            Event::Code(text) => self.push(&text, true),
            Event::SoftBreak | Event::HardBreak => self.push(" ", false),
            Event::Html(html) | Event::InlineHtml(html)
                if !html.trim_start().starts_with("<!--") && !html.trim().is_empty() =>
            {
                self.warn(
                    "unsupported-markdown",
                    "HTML ignored",
                    line,
                    "use Markdown: *italic*, **bold**, ## intertitle",
                );
            }
            _ => {}
        }
    }

    fn begin_leaf(&mut self, heading: bool, line: usize) {
        if matches!(self.container, Container::None) {
            self.leaf = Some((heading, line));
        } else if self.spans.last().is_some_and(|s| !s.text.ends_with(' ')) {
            // A second paragraph in a quote or list item joins the first.
            self.spans.push(InlineRun::plain(" "));
        }
    }

    fn end_leaf(&mut self) {
        if !matches!(self.container, Container::None) {
            return;
        }
        let Some((heading, line)) = self.leaf.take() else { return };
        let spans = self.take_spans();
        if spans.is_empty() {
            return;
        }
        let kind = if heading { BlockKind::Intertitle(spans) } else { BlockKind::Paragraph(spans) };
        self.blocks.push(Block { kind, line });
    }

    fn end_item(&mut self) {
        if matches!(self.container, Container::List { .. }) {
            let spans = self.take_spans();
            if let Container::List { items, .. } = &mut self.container
                && !spans.is_empty()
            {
                items.push(spans);
            }
        }
    }

    fn push(&mut self, text: &str, verbatim: bool) {
        let emphasis = Emphasis { bold: self.bold > 0, italic: self.italic > 0 };
        self.spans.push(InlineRun { text: text.to_string(), emphasis, verbatim });
    }

    /// The collected spans, merged where emphasis and verbatim agree, spaces collapsed at
    /// the edges.
    fn take_spans(&mut self) -> Vec<InlineRun> {
        let mut merged: Vec<InlineRun> = Vec::new();
        for span in self.spans.drain(..) {
            match merged.last_mut() {
                Some(last) if last.emphasis == span.emphasis && last.verbatim == span.verbatim => {
                    last.text.push_str(&span.text);
                }
                _ => merged.push(span),
            }
        }
        // Runs of spaces (a dropped image, a space before a line break) print as one.
        let mut after_space = true;
        for span in merged.iter_mut() {
            if span.verbatim {
                after_space = span.text.ends_with(' ');
                continue;
            }
            let mut text = String::with_capacity(span.text.len());
            for c in span.text.chars() {
                let space = c == ' ';
                if !(space && after_space) {
                    text.push(c);
                }
                after_space = space;
            }
            span.text = text;
        }
        if let Some(first) = merged.first_mut() {
            first.text = first.text.trim_start().to_string();
        }
        if let Some(last) = merged.last_mut() {
            last.text = last.text.trim_end().to_string();
        }
        merged.retain(|s| !s.text.is_empty());
        merged
    }
}

fn looks_like_url(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Block>, Vec<Diagnostic>) {
        let source = Source::new("a.md", text);
        parse_body(&source, text, 1)
    }

    fn plain(text: &str) -> Vec<InlineRun> {
        vec![InlineRun::plain(text)]
    }

    #[test]
    fn paragraphs_intertitles_quotes_and_lists_with_lines() {
        let (blocks, diags) = parse(
            "Premier paragraphe\nsur deux lignes.\n\n## Intertitre\n\n> Une citation.\n\n- un\n- deux\n\n# Titre un\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            blocks,
            vec![
                Block {
                    kind: BlockKind::Paragraph(plain("Premier paragraphe sur deux lignes.")),
                    line: 1
                },
                Block { kind: BlockKind::Intertitle(plain("Intertitre")), line: 4 },
                Block { kind: BlockKind::Quote(plain("Une citation.")), line: 6 },
                Block { kind: BlockKind::List(vec![plain("un"), plain("deux")]), line: 8 },
                Block { kind: BlockKind::Intertitle(plain("Titre un")), line: 11 },
            ]
        );
    }

    #[test]
    fn emphasis_code_and_links() {
        let spans = parse_inline(
            "Un *mot* **fort** et `code` , [le site](https://a.fr) et [https://b.fr](https://b.fr).",
        );
        let italic = Emphasis { bold: false, italic: true };
        let bold = Emphasis { bold: true, italic: false };
        assert_eq!(
            spans,
            vec![
                InlineRun::plain("Un "),
                InlineRun { text: "mot".into(), emphasis: italic, verbatim: false },
                InlineRun::plain(" "),
                InlineRun { text: "fort".into(), emphasis: bold, verbatim: false },
                InlineRun::plain(" et "),
                InlineRun { text: "code".into(), emphasis: Emphasis::default(), verbatim: true },
                InlineRun::plain(" , le site et "),
                InlineRun {
                    text: "https://b.fr".into(),
                    emphasis: Emphasis::default(),
                    verbatim: true
                },
                InlineRun::plain("."),
            ]
        );
    }

    #[test]
    fn sidebar_with_title_and_dash_items() {
        let (blocks, diags) =
            parse("Avant.\n\n:::encadre Le *Kazakhstan*\nIntro.\n\n— Un\n— Deux\n:::\n\nAprès.\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[2], Block { kind: BlockKind::Paragraph(plain("Après.")), line: 10 });
        let BlockKind::Sidebar { title, blocks: inner } = &blocks[1].kind else {
            panic!("expected a sidebar, got {:?}", blocks[1]);
        };
        assert_eq!(blocks[1].line, 3);
        assert_eq!(title[0].text, "Le ");
        assert!(title[1].emphasis.italic);
        assert_eq!(
            inner,
            &vec![
                Block { kind: BlockKind::Paragraph(plain("Intro.")), line: 4 },
                Block { kind: BlockKind::List(vec![plain("Un"), plain("Deux")]), line: 6 },
            ]
        );
    }

    #[test]
    fn nested_sidebars_and_stray_closers_are_errors_at_their_lines() {
        let (_, diags) = parse(
            "Avant.\n\n:::encadre Dehors\nUn.\n\n:::encadre Dedans\nDeux.\n:::\n\nTrois.\n:::\n",
        );
        let found: Vec<(&str, usize)> =
            diags.iter().map(|d| (d.message.as_str(), d.line.unwrap_or(0))).collect();
        assert_eq!(
            found,
            [("a sidebar cannot contain another sidebar", 6), ("`:::` closes no sidebar", 11)],
            "{diags:?}"
        );
        assert!(diags.iter().all(|d| d.severity == crate::diag::Severity::Error));
    }

    #[test]
    fn dashes_outside_sidebars_stay_text() {
        let (blocks, _) = parse("— Oui, dit-il.\n");
        assert_eq!(
            blocks,
            vec![Block { kind: BlockKind::Paragraph(plain("— Oui, dit-il.")), line: 1 }]
        );
    }

    #[test]
    fn unclosed_and_unknown_containers_are_errors() {
        let (_, diags) = parse("Texte.\n\n:::encadree Titre\n- a\n");
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].message, "unknown container `:::encadree`");
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `:::encadre`?"));
        assert_eq!(diags[1].message, "sidebar is never closed");
        assert!(diags.iter().all(|d| d.is_error() && d.line == Some(3)));
    }

    #[test]
    fn images_and_html_are_dropped_with_warnings() {
        let (blocks, diags) = parse("Voir ![photo](a.jpg) ici.\n\n<div>x</div>\n");
        assert_eq!(blocks, vec![Block { kind: BlockKind::Paragraph(plain("Voir ici.")), line: 1 }]);
        assert_eq!(diags.len(), 2);
        assert!(diags.iter().all(|d| !d.is_error()));
    }
}
