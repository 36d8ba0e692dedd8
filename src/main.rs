//! The `ormsh` binary: everything is in the library; this only sets up the
//! process's memory and hands the exit code back to the shell.

use libmimalloc_sys as mi;

/// mimalloc: a large load makes and frees objects by the hundred thousand,
/// and glibc's malloc spent a fifth of such a scan reconciling its arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: its place in the `mi_option_e` of mimalloc 3's
/// header, which libmimalloc-sys names no constant for (the test below
/// checks it against the option's documented default).
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;

fn main() {
    // No transparent huge pages: the allocator asks for them, and a heap in
    // 2 MiB pages is faulted in and zeroed 2 MiB at a time, so peak memory
    // rose by a seventh (scripts/bench/) with no gain in speed. A Linux
    // setting; elsewhere there is nothing to turn off.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Freed memory stays with the process instead of going back to the
    // system a second later (mimalloc 3's default): a phase that frees
    // 100,000 objects and the next that makes as many then reuse the same
    // pages, where each returned page had to be faulted in and zeroed
    // again (an eager scan after a seed ~10% faster; peak memory the same
    // within 2%).
    // SAFETY: sets one of mimalloc's integer options; any value is valid.
    unsafe { mi::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    std::process::exit(ormsh::cli::main());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The purge delay's default is 1000 ms and its neighbours' are 1 and
    /// 0: a header whose options moved shows here, not as a silent change.
    #[test]
    fn the_purge_delay_is_where_main_sets_it() {
        // SAFETY: mi_option_get reads an integer option; any index below
        // `_mi_option_last` is valid.
        let around = unsafe { [14, 15, 16].map(|o| mi::mi_option_get(o)) };
        assert_eq!(around, [1, 1000, 0]);
    }
}
