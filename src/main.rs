//! The `ormsh` binary: everything is in the library; this only sets up the
//! process's memory and hands the exit code back to the shell.

// mimalloc: a large load makes and frees objects by the hundred thousand,
// and glibc's malloc spent a fifth of such a scan reconciling its arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // No transparent huge pages: the allocator asks for them, and a heap in
    // 2 MiB pages is faulted in and zeroed 2 MiB at a time, so peak memory
    // rose by a seventh (scripts/bench/) with no gain in speed.
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    std::process::exit(ormsh::cli::main());
}
