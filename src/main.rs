//! The `rotative` command; everything happens in the library.

fn main() {
    std::process::exit(rotative::cli::main());
}
