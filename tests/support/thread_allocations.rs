//! A global allocator that counts the bytes live on the threads that ask for it, and their
//! peak: the memory measure of `tests/pingone_listing_memory.rs` and `benches/list_users.rs`.
//! Include it with `#[path]`; it installs itself as the binary's global allocator.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

thread_local! {
    /// Whether this thread's allocations are counted.
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting the live bytes of the counted threads and their peak.
struct CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn record(delta: isize) {
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        let live = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counting touches only atomics
// and a const thread-local without a destructor, and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            record(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on.
        unsafe { System.dealloc(pointer, layout) };
        record(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on.
        let new_pointer = unsafe { System.realloc(pointer, layout, new_size) };
        if !new_pointer.is_null() {
            record(new_size as isize - layout.size() as isize);
        }
        new_pointer
    }
}

/// Starts or stops counting the calling thread's allocations.
pub fn count_this_thread(counted: bool) {
    COUNTED.with(|cell| cell.set(counted));
}

/// The bytes live now, in bytes (of the counted threads, since counting began).
pub fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// The highest `live` since the last [`reset_peak`], in bytes.
pub fn peak() -> isize {
    PEAK.load(Ordering::Relaxed)
}

/// Restarts the peak from the live bytes, and returns them.
pub fn reset_peak() -> isize {
    let live = live();
    PEAK.store(live, Ordering::Relaxed);
    live
}
