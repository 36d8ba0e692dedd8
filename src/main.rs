//! The `ormsh` binary: everything is in the library; this only hands the
//! exit code back to the shell.

fn main() {
    std::process::exit(ormsh::cli::main());
}
