//! A seeded mutation fuzzer on the stable toolchain (cargo-fuzz needs nightly): each target
//! of `tests/fuzz/targets.rs` gets its seed files mutated (bit flips, random bytes, cut,
//! inserted, repeated and removed runs, interesting values) by a fixed-seed RNG, for a
//! bounded time, with panics caught. A panicking input is written to `tests/fixtures/fuzz/`
//! (replayed by `tests/fuzz_corpus.rs`), and so is any input slower than two seconds.
//!
//! `cargo run --release --example fuzz -- [seconds per target] [seed]`; prints the
//! executions per target and exits 1 when something was found.

#[path = "../tests/fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An input slower than this is a finding too: every reader must be fast on small input.
const SLOW: Duration = Duration::from_secs(2);

/// xorshift64*: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Values that find edge cases in lengths, sizes and markers.
const INTERESTING: &[&[u8]] = &[
    &[0x00],
    &[0xFF],
    &[0x7F],
    &[0x80],
    &[0xFF, 0xFF],
    &[0x00, 0x00],
    &[0xFF, 0xD9],
    &[0xFF, 0xDA],
    &[0xFF, 0xC0],
    &[0x00, 0x01],
    &[0x80, 0x00, 0x00, 0x00],
    b"---\n",
    b"\n",
    b": ",
    b"- ",
    b"{",
    b"[",
    b"*",
    b"\"",
    b"&a ",
    b"*a",
    b"!!binary ",
    b"\xc3\xa9",
    b"\xe2\x80\xaf",
];

/// One to four mutations of `input`.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let at = rng.below(len);
                input[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                input[at] = rng.next() as u8;
            }
            2 if len > 0 => input.truncate(rng.below(len)),
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + 1 + rng.below(64)).min(len);
                input.drain(start..end);
            }
            4 if len > 0 => {
                // Repeat a run (a duplicated segment, a doubled list item).
                let start = rng.below(len);
                let end = (start + 1 + rng.below(256)).min(len);
                let run = input[start..end].to_vec();
                let at = rng.below(len + 1);
                input.splice(at..at, run);
            }
            5 => {
                let value = INTERESTING[rng.below(INTERESTING.len())];
                let at = rng.below(len + 1);
                input.splice(at..at, value.iter().copied());
            }
            6 if len > 1 => {
                // Overwrite with an interesting value (a length field, a marker).
                let value = INTERESTING[rng.below(INTERESTING.len())];
                let at = rng.below(len);
                for (i, b) in value.iter().enumerate() {
                    if let Some(slot) = input.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
            _ => {
                let at = rng.below(len + 1);
                let random: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                input.splice(at..at, random);
            }
        }
    }
}

/// Where findings are written.
fn findings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10.0);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5EED_1719);
    // Panics are what we look for: they are counted and saved, not printed one by one.
    std::panic::set_hook(Box::new(|_| {}));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = 0;
    for target in targets::TARGETS {
        let seeds: Vec<Vec<u8>> =
            target.seeds.iter().map(|s| std::fs::read(root.join(s)).expect("seed file")).collect();
        // Each target its own sequence (never zero, which xorshift cannot leave).
        let salt = target.name.bytes().fold(0u64, |h, b| (h << 8 | u64::from(b)).rotate_left(3));
        let mut rng = Rng((seed ^ salt) | 1);
        let started = Instant::now();
        let mut executions = 0u64;
        let mut slowest = Duration::ZERO;
        while started.elapsed().as_secs_f64() < seconds {
            let mut input = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, &mut input);
            let run_started = Instant::now();
            let outcome = std::panic::catch_unwind(|| (target.run)(&input));
            let took = run_started.elapsed();
            slowest = slowest.max(took);
            executions += 1;
            let finding = match outcome {
                Err(_) => Some("panic"),
                Ok(()) if took > SLOW => Some("slow"),
                Ok(()) => None,
            };
            if let Some(kind) = finding {
                found += 1;
                let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                });
                let file = findings_dir().join(format!("{}-{kind}-{hash:016x}.bin", target.name));
                std::fs::create_dir_all(findings_dir()).expect("findings folder");
                std::fs::write(&file, &input).expect("finding written");
                println!("{}: {kind} ({took:?}), saved as {}", target.name, file.display());
            }
        }
        println!(
            "fuzz {:<8} {executions:>8} executions in {:.1} s, slowest {:.0} ms",
            target.name,
            started.elapsed().as_secs_f64(),
            slowest.as_secs_f64() * 1000.0
        );
    }
    if found > 0 {
        println!("{found} finding(s): fix them, then keep the files as regression tests");
        std::process::exit(1);
    }
}
