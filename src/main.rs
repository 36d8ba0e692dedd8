//! The `ormsh` binary: everything is in the library; this only hands the
//! exit code back to the shell.

// Rows are made on sqlx's SQLite worker thread and freed on this one; glibc's
// malloc spends a fifth of a large scan reconciling its arenas, mimalloc not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(ormsh::cli::main());
}
