//! `rotative watch`: builds an issue, then builds it again each time one of its files
//! changes, printing the diagnostics and the time of each build.
//!
//! Changes come from the operating system's file notifications (the `notify` crate:
//! inotify on Linux, FSEvents on macOS), not from polling modification times: an editor's
//! save is seen within milliseconds, an idle watch costs nothing, and an issue of a
//! hundred photos is not re-read every second. A burst of events (an editor writes a
//! temporary file, renames it, touches the folder) is gathered for [`SETTLE`] and makes
//! one build.
//!
//! Each build runs in this process, with the articles the last one set kept in a memo
//! ([`rotative::pipeline::SetMemo`]): only the articles whose inputs changed (the file, its
//! photo, the settings) are set again and their QR codes read back again; the
//! pages are composed, rendered and checked whole, as a fresh `rotative build` would, so
//! the output is the same bytes. The process's start is saved too: fonts parsed,
//! hyphenation patterns loaded and colour transforms built once, for every later build. An
//! unchanged output file is not rewritten (`write_atomic`), so a PDF viewer reloads only
//! what changed.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher};

/// How long the file events of one save are gathered before building.
const SETTLE: Duration = Duration::from_millis(200);

/// Watches `input` and runs `build` (which returns its exit code and how many articles it
/// set) at the start and after every change of a file under the folder, except the
/// outputs in `out_dir`. Returns only when the file notifications cannot be had (exit
/// code 2).
pub(crate) fn watch(
    input: &Path,
    out_dir: Option<&Path>,
    build: &mut dyn FnMut() -> (i32, usize),
) -> i32 {
    let root = watched_folder(input);
    let out_dir = out_dir.map_or_else(|| root.join("out"), Path::to_path_buf);
    let out_dir = absolute(&out_dir);
    let (sender, events) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |event| {
        // The receiver only goes away when the watch ends.
        let _ = sender.send(event);
    }) {
        Ok(watcher) => watcher,
        Err(e) => {
            eprintln!("error: cannot watch files: {e}");
            return 2;
        }
    };
    if let Err(e) = watcher.watch(&root, RecursiveMode::Recursive) {
        eprintln!("error: cannot watch {}: {e}", root.display());
        return 2;
    }
    let mut first = true;
    loop {
        let started = Instant::now();
        let (code, set) = build();
        eprintln!(
            "watch: {} at {} UTC in {:.2} s, {set} article(s) set{} (exit code {code}); \
             watching {} for changes, Ctrl-C to stop",
            if first { "built" } else { "rebuilt" },
            clock(SystemTime::now()),
            started.elapsed().as_secs_f64(),
            if first { "" } else { " again" },
            root.display()
        );
        first = false;
        // Wait for a change that matters, then let the burst settle.
        loop {
            match events.recv() {
                Ok(Ok(event)) if matters(&event, &out_dir) => break,
                Ok(_) => {}
                Err(_) => return 2,
            }
        }
        while events.recv_timeout(SETTLE).is_ok() {}
    }
}

/// The folder to watch: an issue folder itself; for an article file, the nearest folder
/// above it with `issue.yaml` (its photos are beside its `articles/`), else its own.
fn watched_folder(input: &Path) -> PathBuf {
    let input = absolute(input);
    if input.is_dir() {
        return input;
    }
    let parent = input.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    parent
        .ancestors()
        .take(3)
        .find(|dir| dir.join("issue.yaml").is_file())
        .map_or(parent.clone(), Path::to_path_buf)
}

/// Whether a file event should start a build: a file created, changed or removed, not in
/// the output folder (the build's own writes) and not hidden (editors' swap files and
/// rotative's temporary files start with a dot).
fn matters(event: &notify::Event, out_dir: &Path) -> bool {
    if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
        return false;
    }
    event.paths.iter().any(|path| {
        let hidden = path.file_name().is_some_and(|n| {
            n.to_string_lossy().starts_with('.') || n.to_string_lossy().ends_with('~')
        });
        !hidden && !absolute(path).starts_with(out_dir)
    })
}

/// `path` made absolute against the current folder (without resolving links, so it
/// compares with the paths the notifications give).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The time of day of `time`, UTC, as `HH:MM:SS`.
fn clock(time: SystemTime) -> String {
    let seconds = time.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs()) % 86_400;
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_the_time_of_day() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400 * 3 + 3600 * 4 + 61);
        assert_eq!(clock(time), "04:01:01");
    }

    #[test]
    fn outputs_and_hidden_files_do_not_start_a_build() {
        let out = Path::new("/issue/out");
        let event = |path: &str| {
            notify::Event::new(EventKind::Modify(notify::event::ModifyKind::Any))
                .add_path(PathBuf::from(path))
        };
        assert!(matters(&event("/issue/articles/a.md"), out));
        assert!(!matters(&event("/issue/out/issue.pdf"), out));
        assert!(!matters(&event("/issue/articles/.a.md.swp"), out));
        assert!(!matters(&event("/issue/articles/a.md~"), out));
        let read = notify::Event::new(EventKind::Access(notify::event::AccessKind::Any))
            .add_path(PathBuf::from("/issue/articles/a.md"));
        assert!(!matters(&read, out));
    }
}
