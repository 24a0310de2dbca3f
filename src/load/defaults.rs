//! The built-in settings: what a bare article file is typeset with, and what every key
//! left out of `issue.yaml` falls back to.
//!
//! The page is A4 in three columns with the bundled Liberation fonts: body Liberation Serif
//! 9.5/11.5 pt justified (the top of the 8.5–9.5 pt newspaper range, for an A4 page read at
//! arm's length), headline Liberation Sans Bold 28/31, sans-serif furniture (kicker, meta,
//! captions, folio). All text is 100 % K, as newsprint wants for small type.

use crate::color::Color;
use crate::fonts::{SYMBOL_FONT, bundled_family};
use crate::geom::mm;
use crate::model::{
    Align, EcLevel, Emphasis, FontRole, FontRoles, FontSource, HyphenationSpec, IssueConfig, Lang,
    MicrotypeSpec, OutputSpec, PageSpec, PhotoSpec, QrPlacement, QrSpec, Styles, TextStyle,
};

/// The defaults for everything `issue.yaml` can set.
pub fn default_config() -> IssueConfig {
    IssueConfig {
        publication: "rotative".to_string(),
        website: None,
        number: None,
        date: None,
        lang: Lang::Fr,
        page: PageSpec {
            width: mm(210.0),
            height: mm(297.0),
            margin_top: mm(15.0),
            margin_bottom: mm(15.0),
            margin_inner: mm(15.0),
            margin_outer: mm(15.0),
            columns: 3,
            gutter: mm(5.0),
            baseline: 11.5,
        },
        fonts: FontRoles {
            body: bundled_family("LiberationSerif"),
            heading: bundled_family("LiberationSans"),
            kicker: bundled_family("LiberationSans"),
            caption: bundled_family("LiberationSans"),
            fallback: vec![FontSource::Bundled(SYMBOL_FONT.to_string())],
        },
        styles: default_styles(),
        labels: Vec::new(),
        boilerplate: Vec::new(),
        words_per_minute: 230,
        hyphenation: HyphenationSpec { exceptions: Vec::new(), max_consecutive: 2 },
        microtype: MicrotypeSpec::default(),
        output: OutputSpec::default(),
        qr: QrSpec {
            placement: QrPlacement::Head,
            ec_level: EcLevel::Q,
            module: mm(0.6),
            url_pattern: None,
            tracking: Vec::new(),
            short_url: None,
            address_lines: 3,
        },
        photo: PhotoSpec {
            warn_ppi: 200.0,
            min_ppi: 100.0,
            max_pixels: 200_000_000,
            columns: 2,
            max_crop: 0.2,
        },
        page_file_pattern: "{publication}-{date}-p{page:02}.pdf".to_string(),
        front_matter: crate::model::FrontMatterRules::default(),
    }
}

/// A style from its essentials; spacing and case are adjusted by the caller.
fn style(
    role: FontRole,
    bold: bool,
    italic: bool,
    size: f32,
    leading: f32,
    align: Align,
) -> TextStyle {
    TextStyle {
        role,
        emphasis: Emphasis { bold, italic },
        size,
        leading,
        color: Color::BLACK,
        align,
        space_before: 0.0,
        space_after: 0.0,
        uppercase: false,
    }
}

fn default_styles() -> Styles {
    use Align::{Justify, Left};
    use FontRole::{Body, Caption, Heading, Kicker};
    Styles {
        masthead: style(Heading, true, false, 20.0, 24.0, Left),
        folio: style(Kicker, false, false, 8.0, 10.0, Left),
        // Kickers stay in their typed case: capitals would also change the extracted text.
        kicker: TextStyle { space_after: 2.0, ..style(Kicker, true, false, 9.0, 11.0, Left) },
        headline: TextStyle { space_after: 6.0, ..style(Heading, true, false, 28.0, 31.0, Left) },
        standfirst: TextStyle { space_after: 6.0, ..style(Body, true, false, 11.0, 13.5, Left) },
        meta: TextStyle { space_after: 4.0, ..style(Kicker, false, false, 8.0, 10.0, Left) },
        body: style(Body, false, false, 9.5, 11.5, Justify),
        // Lists follow the body, as resolved from `issue.yaml` (see `Resolver::styles`).
        list: style(Body, false, false, 9.5, 11.5, Justify),
        // One baseline above keeps following text on the grid.
        intertitle: TextStyle { space_before: 11.5, ..style(Body, true, false, 10.5, 11.5, Left) },
        quote: TextStyle {
            space_before: 5.75,
            space_after: 5.75,
            ..style(Body, false, true, 12.0, 14.5, Left)
        },
        caption: style(Caption, false, false, 7.5, 9.0, Left),
        credit: style(Caption, false, false, 6.0, 7.0, Left),
        sidebar: style(Body, false, false, 8.5, 11.5, Left),
        sidebar_title: TextStyle {
            space_after: 2.0,
            ..style(Kicker, true, false, 9.5, 11.5, Left)
        },
        // A light black tint prints cleanly on newsprint; 10 % K is still visible after the
        // ~26 % dot gain of coldset.
        sidebar_tint: Color::Cmyk(0.0, 0.0, 0.0, 0.1),
        keywords: style(Kicker, false, false, 8.0, 10.0, Left),
        boilerplate: style(Body, false, false, 8.5, 10.5, Justify),
        boilerplate_title: TextStyle {
            space_before: 5.75,
            ..style(Kicker, true, false, 9.0, 11.0, Left)
        },
        qr: style(Kicker, false, false, 7.5, 9.0, Left),
        rule_color: Color::BLACK,
    }
}
