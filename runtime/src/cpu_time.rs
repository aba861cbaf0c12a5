//! Tests only: the CPU time of the calling thread, for tests that bound the cost of work done
//! on one thread. Wall-clock time is not fit for that on a loaded machine: a thread that waits
//! for a core (the other processes of a CI machine with two cores) looks many times slower
//! than it is. The integration tests include this file too (`#[path]`).

use std::time::{Duration, Instant};

/// The time `work` kept this thread on a CPU (Linux: `/proc/thread-self/schedstat`, exact to
/// a scheduler tick, a few milliseconds), and what it returned. Elsewhere, or when that file
/// cannot be read, its wall-clock time.
pub(crate) fn cpu_time<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let start = (on_cpu(), Instant::now());
    let value = work();
    let taken = match (start.0, on_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => start.1.elapsed(),
    };
    (taken, value)
}

/// The time this thread has run, from the first field of its `schedstat` (nanoseconds).
fn on_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
