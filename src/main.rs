//! The `ormsh` binary: everything is in the library; this only sets up the
//! process's memory and hands the exit code back to the shell.

use std::alloc::{GlobalAlloc, Layout};

use libmimalloc_sys as mi;

/// mimalloc: a large load makes and frees objects by the hundred thousand,
/// and glibc's malloc spent a fifth of such a scan reconciling its arenas.
/// The `mimalloc` crate asks for every block through `mi_malloc_aligned`,
/// whose alignment checks cost a seed ~2% of its instructions; a block
/// that needs no more than malloc's own alignment (16 bytes, and never
/// more than its size, as Rust's `System` allocator reasons) goes through
/// plain `mi_malloc`.
struct Allocator;

const MALLOC_ALIGN: usize = 16;

fn plain(layout: Layout) -> bool {
    layout.align() <= MALLOC_ALIGN && layout.align() <= layout.size()
}

type Plain = unsafe extern "C" fn(usize) -> *mut std::ffi::c_void;
type Aligned = unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void;

/// A block for `layout`: from `plain` where malloc's own alignment serves.
#[inline(always)]
unsafe fn block(layout: Layout, plain_fn: Plain, aligned_fn: Aligned) -> *mut u8 {
    unsafe {
        if plain(layout) {
            plain_fn(layout.size()).cast()
        } else {
            aligned_fn(layout.size(), layout.align()).cast()
        }
    }
}

// SAFETY: mimalloc's functions meet GlobalAlloc's contract: a block from
// mi_malloc is aligned as malloc's are (16 bytes, 8 for a block under 16),
// which serves any layout `plain` lets through; the aligned variants align
// to what they are given; mi_free takes either.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { block(layout, mi::mi_malloc, mi::mi_malloc_aligned) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { block(layout, mi::mi_zalloc, mi::mi_zalloc_aligned) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            if plain(Layout::from_size_align_unchecked(new_size, layout.align())) {
                mi::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// `mi_option_purge_delay` in the `mi_option_e` of mimalloc 3's header
/// (libmimalloc-sys 0.1.49 names no constant for it).
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;

fn main() {
    // No transparent huge pages: the allocator asks for them, and a heap in
    // 2 MiB pages is faulted in and zeroed 2 MiB at a time, so peak memory
    // rose by a seventh (scripts/bench/) with no gain in speed.
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // Freed memory stays with the process instead of going back to the
    // system a second later (mimalloc 3's default): a phase that frees 100,000 objects and the next
    // that makes as many then reuse the same pages, where each returned
    // page had to be faulted in and zeroed again (an eager scan after a
    // seed ~10% faster; peak memory the same within 2%).
    // SAFETY: sets one of mimalloc's integer options; any value is valid.
    unsafe {
        mi::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
    std::process::exit(ormsh::cli::main());
}
