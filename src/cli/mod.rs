//! The command line: flags defined in one place with their docs, parsed with clap, turned
//! into [`rotative::batch::Options`]. `main.rs` only calls [`main`].

mod init;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use rotative::batch::{self, Options, Split};
use rotative::model::{Marks, Standard};

/// rotative: typesets newspaper articles (Markdown + YAML) into print-ready PDF/X pages.
#[derive(Debug, Parser)]
#[command(name = "rotative", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the PDF pages of an article file or of an issue folder.
    Build(BuildArgs),
    /// Validate and lay out without writing anything; print the same report.
    Check(CommonArgs),
    /// Create a new issue folder from the example issue.
    Init {
        /// Folder to create (must not exist or be empty).
        folder: PathBuf,
    },
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
    /// No progress bar and no summary line.
    #[arg(long, short)]
    quiet: bool,
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
    /// Write files that depend on a failed article anyway, its place marked "MISSING:
    /// <file>" (refused by --strict); without it their previous versions are left as they
    /// were.
    #[arg(long)]
    allow_incomplete: bool,
    /// Keep the outputs of a previous build that this build no longer produces (they are
    /// listed as stale) instead of removing them.
    #[arg(long)]
    keep_stale: bool,
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
    match cli.command {
        Command::Build(args) => {
            let build = Build {
                output: args.output,
                split: args.split,
                proof: args.proof,
                allow_incomplete: args.allow_incomplete,
                keep_stale: args.keep_stale,
            };
            run(&args.common, Some(build))
        }
        Command::Check(args) => run(&args, None),
        Command::Init { folder } => match init::scaffold(&folder) {
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
        },
    }
}

/// The choices only `build` has.
struct Build {
    output: Option<PathBuf>,
    split: SplitArg,
    proof: bool,
    allow_incomplete: bool,
    keep_stale: bool,
}

fn run(args: &CommonArgs, build: Option<Build>) -> i32 {
    let input = match &args.input {
        Some(input) => input.clone(),
        None => match rotative::load::find_issue_folder(Path::new(".")) {
            Some(folder) => folder,
            None => {
                eprintln!(
                    "error: no issue.yaml in this folder or any folder above it (give an article .md file or an issue folder)"
                );
                return 2;
            }
        },
    };
    if !input.exists() {
        eprintln!(
            "error: {} does not exist (give an article .md file or an issue folder)",
            input.display()
        );
        return 2;
    }
    let write = build.is_some();
    if write {
        batch::output::install_interrupt_cleanup();
    }
    let build = build.unwrap_or(Build {
        output: None,
        split: SplitArg::Issue,
        proof: false,
        allow_incomplete: false,
        keep_stale: false,
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
        write,
        progress: !args.quiet,
        proof: build.proof,
        allow_incomplete: build.allow_incomplete,
        keep_stale: build.keep_stale,
    };
    let outcome = batch::run(&input, &options);
    print_diagnostics(&outcome.report);
    if !args.quiet {
        print_summary(&outcome.report);
    }
    if let Some(path) = &args.report
        && let Err(e) = write_report(path, &outcome.report)
    {
        eprintln!("error: cannot write the report to {}: {e}", path.display());
        return 2;
    }
    outcome.exit_code
}

fn print_diagnostics(report: &batch::report::Report) {
    let mut err = std::io::stderr().lock();
    for d in report.diagnostics() {
        let _ = writeln!(err, "{d}");
    }
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
