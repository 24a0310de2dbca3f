//! The command line: flags defined in one place with their docs, parsed with clap, turned
//! into [`rotative::batch::Options`]. `main.rs` only calls [`main`].

mod init;
mod style;
mod watch;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use rotative::batch::{self, Options, Split};
use rotative::model::{Marks, Standard};
use rotative::pipeline::SetMemo;

/// Examples and exit codes, under every `--help`.
const AFTER_HELP: &str = "\
Examples:
  rotative build issues/liberte-actus-1719            the issue's PDF into its out/ folder
  rotative build issue --split pages --png            a PDF and a 100-dpi PNG per page, and a contact sheet
  rotative check issue/articles/02.md --report -      validate one article, JSON report on stdout
  rotative watch issue                                rebuild on every save
  rotative init my-weekly --name \"Le Veilleur\" --number 1 --date 2026-01-08
  rotative completions bash > ~/.local/share/bash-completion/completions/rotative

Exit codes:
  0  success: every article built (with --strict: and no warning)
  1  content errors: an article or the issue failed (the others are still built)
  2  usage errors: bad flags, a missing input, an output that cannot be written";

/// rotative: typesets newspaper articles (Markdown + YAML) into print-ready PDF/X pages.
#[derive(Debug, Parser)]
#[command(name = "rotative", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics: on a terminal (auto, unless NO_COLOR is set), always,
    /// never.
    #[arg(long, value_enum, global = true, default_value_t = style::ColorChoice::Auto)]
    color: style::ColorChoice,
    /// Print the time each stage took (load, text, compose, render, write, png).
    #[arg(long, short, global = true)]
    verbose: bool,
    /// No progress bar and no summary line.
    #[arg(long, short, global = true)]
    quiet: bool,
}

/// How to talk: the global flags.
#[derive(Debug, Clone, Copy)]
struct Ui {
    color: bool,
    verbose: bool,
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the PDF pages of an article file or of an issue folder.
    Build(BuildArgs),
    /// Validate and lay out without writing anything; print the same report.
    Check(CommonArgs),
    /// Build an issue, then build it again on every change of its files.
    Watch(WatchArgs),
    /// Create a new issue folder: issue.yaml, one article to replace, an empty photos/.
    Init {
        /// Folder to create (must not exist or be empty).
        folder: PathBuf,
        /// Publication name (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
        /// Issue date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Issue number.
        #[arg(long, default_value = "1")]
        number: String,
        /// Language of the articles: fr, en, en-GB, en-US, de, es, it, pt, nl.
        #[arg(long, default_value = "fr")]
        language: String,
        /// Page format: a4, a3, a5, tabloid, compact, berliner, rhenish, nordic, or
        /// WIDTHxHEIGHT in mm.
        #[arg(long, default_value = "a4")]
        format: String,
    },
    /// Print a shell's completion script for rotative on standard output.
    #[command(after_help = "Example: rotative completions zsh > ~/.zfunc/_rotative")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on standard output.
    #[command(after_help = "Example: rotative man > rotative.1 && man ./rotative.1")]
    Man,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// An article `.md` file or an issue folder (with `issue.yaml`); by default the issue
    /// of the current folder (the nearest folder above with an `issue.yaml`).
    input: Option<PathBuf>,
    /// PDF standard, overriding `output.standard` in issue.yaml.
    #[arg(long, value_enum)]
    standard: Option<StandardArg>,
    /// Printer's marks, overriding `output.marks` in issue.yaml.
    #[arg(long, value_enum)]
    marks: Option<MarksArg>,
    /// Write the JSON report to this file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Treat every warning as an error.
    #[arg(long)]
    strict: bool,
    /// Allow photo paths outside the issue folder.
    #[arg(long)]
    allow_outside: bool,
    /// Make the pages up automatically (as `pages: auto`, with the `auto:` settings of
    /// issue.yaml), even when issue.yaml has a page plan: its stories are then the articles.
    #[arg(long)]
    auto: bool,
    /// Write the page plan the automatic make-up chose to FILE, in the `pages:` syntax of
    /// issue.yaml, to adjust by hand.
    #[arg(long, value_name = "FILE")]
    plan_out: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: `out/` beside the input).
    #[arg(long, short, value_name = "FOLDER")]
    output: Option<PathBuf>,
    /// Cut the output into one PDF per page or per article.
    #[arg(long, value_enum, default_value_t = SplitArg::Issue)]
    split: SplitArg,
    /// Draw the page plan's frame outlines, names and overset markers: a proof, written as
    /// a plain PDF named `…-proof.pdf`, never a print file.
    #[arg(long)]
    proof: bool,
    /// Also draw each page as a PNG at DPI dots per inch (default 100), with a contact
    /// sheet of the whole issue (`…-pages.png`), beside the PDFs.
    #[arg(
        long,
        value_name = "DPI",
        num_args = 0..=1,
        default_missing_value = "100",
        value_parser = dpi_parser()
    )]
    png: Option<u32>,
    /// Write files that depend on a failed article anyway, its place marked "MISSING:
    /// <file>" (refused by --strict); without it their previous versions are left as they
    /// were.
    #[arg(long)]
    allow_incomplete: bool,
    /// Keep the outputs of a previous build that this build no longer produces (they are
    /// listed as stale) instead of removing them.
    #[arg(long)]
    keep_stale: bool,
    /// Convert every photo again, neither reading nor filling the build cache
    /// (`<output>/.rotative-cache/`).
    #[arg(long)]
    no_cache: bool,
}

#[derive(Debug, Args)]
struct WatchArgs {
    /// An issue folder or an article file (default: the current folder).
    input: Option<PathBuf>,
    /// Output folder (default: `out/` beside the input).
    #[arg(long, short, value_name = "FOLDER")]
    output: Option<PathBuf>,
    /// Also draw each page as a PNG at DPI dots per inch (default 100), with a contact
    /// sheet, at every build.
    #[arg(
        long,
        value_name = "DPI",
        num_args = 0..=1,
        default_missing_value = "100",
        value_parser = dpi_parser()
    )]
    png: Option<u32>,
    /// Treat every warning as an error.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StandardArg {
    #[value(name = "pdf-x-4")]
    PdfX4,
    #[value(name = "pdf-x-1a")]
    PdfX1a,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MarksArg {
    None,
    Crop,
    All,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SplitArg {
    Issue,
    Pages,
    Articles,
}

/// Runs the command line and returns the exit code: 0 success, 1 content errors, 2 usage
/// errors.
pub(crate) fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let ui = Ui { color: cli.color.enabled(), verbose: cli.verbose, quiet: cli.quiet };
    match cli.command {
        Command::Build(args) => {
            let build = Build {
                output: args.output,
                split: args.split,
                proof: args.proof,
                png: args.png,
                allow_incomplete: args.allow_incomplete,
                keep_stale: args.keep_stale,
                cache: !args.no_cache,
            };
            run(&args.common, Some(build), ui)
        }
        Command::Check(args) => run(&args, None, ui),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "rotative", &mut std::io::stdout());
            0
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    2
                }
            }
        }
        Command::Watch(args) => {
            let input = args.input.unwrap_or_else(|| PathBuf::from("."));
            if !input.exists() {
                eprintln!("error: {} does not exist", input.display());
                return 2;
            }
            let common = CommonArgs {
                input: Some(input.clone()),
                standard: None,
                marks: None,
                report: None,
                strict: args.strict,
                allow_outside: false,
                auto: false,
                plan_out: None,
            };
            let build = || Build {
                output: args.output.clone(),
                split: SplitArg::Issue,
                proof: false,
                png: args.png,
                allow_incomplete: false,
                keep_stale: false,
                cache: true,
            };
            // The articles set by one build, kept for the next: only those whose inputs
            // changed are set again.
            let mut memo = SetMemo::default();
            watch::watch(&input, args.output.as_deref(), &mut || {
                run_with(&common, Some(build()), ui, Some(&mut memo))
            })
        }
        Command::Init { folder, name, date, number, language, format } => {
            let starter = init::Starter { name, date, number, language, format };
            init_issue(&folder, &starter)
        }
    }
}

fn init_issue(folder: &Path, starter: &init::Starter) -> i32 {
    match init::scaffold(folder, starter) {
        Ok(()) => {
            println!(
                "created {}; build it with: rotative build {}",
                folder.display(),
                folder.display()
            );
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// The choices only `build` (and `watch`) has.
struct Build {
    output: Option<PathBuf>,
    split: SplitArg,
    proof: bool,
    png: Option<u32>,
    allow_incomplete: bool,
    keep_stale: bool,
    cache: bool,
}

fn run(args: &CommonArgs, build: Option<Build>, ui: Ui) -> i32 {
    run_with(args, build, ui, None).0
}

/// [`run`] with the memo of set articles a watch keeps between its builds; gives the exit
/// code and how many articles were set.
fn run_with(
    args: &CommonArgs,
    build: Option<Build>,
    ui: Ui,
    memo: Option<&mut SetMemo>,
) -> (i32, usize) {
    let input = match &args.input {
        Some(input) => input.clone(),
        None => match rotative::load::find_issue_folder(Path::new(".")) {
            Some(folder) => folder,
            None => {
                eprintln!(
                    "error: no issue.yaml in this folder or any folder above it (give an article .md file or an issue folder)"
                );
                return (2, 0);
            }
        },
    };
    if !input.exists() {
        eprintln!(
            "error: {} does not exist (give an article .md file or an issue folder)",
            input.display()
        );
        return (2, 0);
    }
    let write = build.is_some();
    if write {
        batch::output::install_interrupt_cleanup();
    }
    let build = build.unwrap_or(Build {
        output: None,
        split: SplitArg::Issue,
        proof: false,
        png: None,
        allow_incomplete: false,
        keep_stale: false,
        cache: false,
    });
    let options = Options {
        output: build.output,
        split: match build.split {
            SplitArg::Issue => Split::Issue,
            SplitArg::Pages => Split::Pages,
            SplitArg::Articles => Split::Articles,
        },
        standard: args.standard.map(|s| match s {
            StandardArg::PdfX4 => Standard::PdfX4,
            StandardArg::PdfX1a => Standard::PdfX1a,
            StandardArg::None => Standard::None,
        }),
        marks: args.marks.map(|m| match m {
            MarksArg::None => Marks::None,
            MarksArg::Crop => Marks::Crop,
            MarksArg::All => Marks::All,
        }),
        strict: args.strict,
        allow_outside: args.allow_outside,
        auto: args.auto,
        plan_out: args.plan_out.clone(),
        write,
        progress: !ui.quiet,
        proof: build.proof,
        png: build.png,
        allow_incomplete: build.allow_incomplete,
        keep_stale: build.keep_stale,
        cache: build.cache,
    };
    let outcome = batch::run_with(&input, &options, memo);
    print_diagnostics(&outcome.report, ui.color);
    if !ui.quiet {
        print_summary(&outcome.report);
    }
    if ui.verbose {
        print_stages(&outcome.report);
    }
    if let Some(path) = &args.report
        && let Err(e) = write_report(path, &outcome.report)
    {
        eprintln!("error: cannot write the report to {}: {e}", path.display());
        return (2, 0);
    }
    (outcome.exit_code, outcome.set_again)
}

fn print_diagnostics(report: &batch::report::Report, color: bool) {
    let mut err = std::io::stderr().lock();
    for d in report.diagnostics() {
        let _ = writeln!(err, "{}", style::diagnostic(d, color));
    }
}

/// `-v`: the seconds of each stage, in pipeline order (then any other, by name).
fn print_stages(report: &batch::report::Report) {
    const ORDER: [&str; 8] = ["load", "qr", "text", "compose", "render", "check", "write", "png"];
    let stages = &report.summary.stages;
    let known = ORDER.iter().filter_map(|name| stages.get(name).map(|s| (*name, *s)));
    let others = stages.iter().filter(|(name, _)| !ORDER.contains(name)).map(|(n, s)| (*n, *s));
    let parts: Vec<String> =
        known.chain(others).map(|(name, seconds)| format!("{name} {seconds:.3} s")).collect();
    eprintln!("stages: {} (total {:.3} s)", parts.join(" · "), report.summary.seconds);
}

fn print_summary(report: &batch::report::Report) {
    let s = &report.summary;
    let mut err = std::io::stderr().lock();
    if report.command == "check" {
        for a in &report.articles {
            if let Some(qr) = &a.qr {
                let _ = writeln!(
                    err,
                    "{}: QR {} · version {} · EC {} · {:.1} mm with quiet zone · module {:.2} mm",
                    a.file, qr.payload, qr.version, qr.ec_level, qr.size_mm, qr.module_mm
                );
            }
        }
    }
    if report.command == "check" {
        print_copyfit(&mut err, report);
    }
    let warnings: Vec<String> = s.warnings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        err,
        "{}: {} article(s), {} failed, {} page(s), {} error(s), {} warning(s){} in {:.2} s",
        report.command,
        s.articles,
        s.failed,
        s.pages,
        s.errors.values().sum::<usize>(),
        s.warnings.values().sum::<usize>(),
        if warnings.is_empty() { String::new() } else { format!(" ({})", warnings.join(", ")) },
        s.seconds
    );
    for o in &report.outputs {
        let _ = writeln!(err, "  {} ({} page(s), {:?})", o.path, o.pages, o.status);
    }
    for path in &report.withheld {
        let _ = writeln!(err, "  {path} (not written: depends on a failed article)");
    }
    for stale in &report.stale {
        let what = if stale.removed { "stale, removed" } else { "stale, kept" };
        let _ = writeln!(err, "  {} ({what})", stale.path);
    }
}

/// The copy desk's table: each planned story's frames, lines over (+) or under (-) before
/// and after fitting, the copy to cut or add, and the fitting steps used.
fn print_copyfit(out: &mut impl Write, report: &batch::report::Report) {
    let rows: Vec<_> =
        report.articles.iter().flat_map(|a| a.copyfit.iter().map(move |f| (a, f))).collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "copyfit (lines: + over, - under):");
    let _ = writeln!(
        out,
        "  {:<32} {:<8} {:>6} {:>6} {:>16}  steps",
        "story", "frame", "before", "after", "to cut / add"
    );
    for (article, fit) in rows {
        let story = Path::new(&article.file)
            .file_name()
            .map_or_else(|| article.file.clone(), |n| n.to_string_lossy().into_owned());
        let amount = match fit.lines_after {
            0 => String::from("-"),
            n if n > 0 => format!("cut {} ch", fit.chars),
            _ => format!("add {} ch", fit.chars),
        };
        let steps: Vec<String> = fit.steps.iter().map(|s| s.detail.clone()).collect();
        let _ = writeln!(
            out,
            "  {story:<32} {:<8} {:>+6} {:>+6} {amount:>16}  {}",
            fit.frame,
            fit.lines_before,
            fit.lines_after,
            if steps.is_empty() { String::from("-") } else { steps.join("; ") }
        );
    }
}

fn write_report(path: &Path, report: &batch::report::Report) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    if path == Path::new("-") {
        println!("{json}");
        Ok(())
    } else {
        batch::output::write_atomic(path, json.as_bytes()).map(|_| ())
    }
}

/// `--png`'s resolution, within what the renderer draws.
fn dpi_parser() -> clap::builder::RangedI64ValueParser<u32> {
    let range = rotative::render::PNG_DPI_RANGE;
    clap::value_parser!(u32).range(i64::from(*range.start())..=i64::from(*range.end()))
}
