//! The `rotative` command: the command line ([`cli`]) over the library, where everything
//! happens.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
