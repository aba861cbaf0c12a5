//! Shared by the benchmarks: criterion settings small enough for a 2-core shared machine, and a
//! paired, interleaved timing that gives a same-process ratio robust to drift.

// Each benchmark binary uses only part of this module.
#![allow(dead_code)]
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use sparse_patch::pingone::{NamePatch, UserPatch};

/// Criterion with 30 samples, 1 s of warm-up and 3 s of measurement per benchmark: every
/// group of `cargo bench` stays within a minute or two.
pub fn quick_criterion() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

/// The result of [`paired_ratio`]: medians over rounds, in nanoseconds per iteration.
#[derive(Debug, Clone, Copy)]
pub struct PairedResult {
    /// Median time of the candidate, ns per iteration.
    pub candidate_ns: f64,
    /// Median time of the baseline, ns per iteration.
    pub baseline_ns: f64,
    /// Median over rounds of candidate time / baseline time in that round.
    pub ratio: f64,
}

/// Times `candidate` and `baseline` in alternating batches of `batch` iterations, `rounds`
/// times (the order flips every round), and returns the medians and the median per-round
/// ratio. Both run under the same machine load, so the ratio is steadier than two separate
/// criterion medians on a noisy machine.
pub fn paired_ratio<A, B, RA, RB>(
    rounds: usize,
    batch: u32,
    mut candidate: A,
    mut baseline: B,
) -> PairedResult
where
    A: FnMut() -> RA,
    B: FnMut() -> RB,
{
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(batch)
    };
    let mut run_candidate = || {
        black_box(candidate());
    };
    let mut run_baseline = || {
        black_box(baseline());
    };
    alternate(
        rounds,
        || time(&mut run_candidate),
        || time(&mut run_baseline),
    )
}

/// As [`paired_ratio`], for routines that consume an input: before each batch, `setup_*`
/// makes `batch` inputs, untimed; only the routine is timed, and its outputs are dropped after
/// the clock stops (as criterion's `iter_batched`).
pub fn paired_ratio_batched<IA, IB, RA, RB>(
    rounds: usize,
    batch: usize,
    mut setup_candidate: impl FnMut() -> IA,
    mut candidate: impl FnMut(IA) -> RA,
    mut setup_baseline: impl FnMut() -> IB,
    mut baseline: impl FnMut(IB) -> RB,
) -> PairedResult {
    fn time<I, R>(
        batch: usize,
        setup: &mut dyn FnMut() -> I,
        routine: &mut dyn FnMut(I) -> R,
    ) -> f64 {
        let inputs: Vec<I> = (0..batch).map(|_| setup()).collect();
        let mut outputs = Vec::with_capacity(batch);
        let start = Instant::now();
        for input in inputs {
            outputs.push(routine(input));
        }
        let elapsed = start.elapsed().as_nanos() as f64 / batch as f64;
        drop(black_box(outputs));
        elapsed
    }
    alternate(
        rounds,
        || time(batch, &mut setup_candidate, &mut candidate),
        || time(batch, &mut setup_baseline, &mut baseline),
    )
}

/// Warms both measurements up once, then takes `rounds` pairs, flipping which side goes first
/// every round; the result holds the medians of each side and of the per-round ratios.
fn alternate(
    rounds: usize,
    mut candidate: impl FnMut() -> f64,
    mut baseline: impl FnMut() -> f64,
) -> PairedResult {
    candidate();
    baseline();
    let (mut candidates, mut baselines, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (c, b) = if round % 2 == 0 {
            let c = candidate();
            (c, baseline())
        } else {
            let b = baseline();
            (candidate(), b)
        };
        candidates.push(c);
        baselines.push(b);
        ratios.push(c / b);
    }
    PairedResult {
        candidate_ns: median(&mut candidates),
        baseline_ns: median(&mut baselines),
        ratio: median(&mut ratios),
    }
}

/// The median of `values` (sorted in place); `NaN` for none.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Prints one paired result as a line that BENCHMARKS.md quotes, with the target if any.
pub fn report(name: &str, result: PairedResult, target: Option<f64>) {
    let verdict = match target {
        Some(limit) if result.ratio <= limit => format!("target <= {limit:.2}x: met"),
        Some(limit) => format!("target <= {limit:.2}x: MISSED"),
        None => String::new(),
    };
    println!(
        "paired {name}: candidate {:.1} ns, baseline {:.1} ns, median ratio {:.3}x {verdict}",
        result.candidate_ns, result.baseline_ns, result.ratio
    );
}

/// Whether the benchmark binary runs in `cargo test`'s quick mode (`--test`, or a `--bench`-less
/// run), in which the paired timings are skipped.
pub fn is_test_mode() -> bool {
    std::env::args().any(|arg| arg == "--test") || !std::env::args().any(|arg| arg == "--bench")
}

/// The patch of group 1 (issue 4), a realistic PingOne user patch: three values set, one null,
/// a nested `name` with one sub-attribute, every other attribute absent.
pub fn realistic_user_patch() -> UserPatch {
    UserPatch::new()
        .email("david.spanner@example.com")
        .title("Senior Engineer")
        .locale("en-GB")
        .clear_nickname()
        .name(NamePatch::new().family("Spanner-Smith"))
}

/// The CPU time of the calling thread so far, in nanoseconds (`/proc/thread-self/schedstat`,
/// Linux); 0 where unavailable. On a current-thread runtime this is all of a client's work,
/// and unlike wall time it does not count waiting for the server or for a core.
pub fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The raw-reqwest baselines of the client benchmarks: one client as the sparse-patch client
/// is configured (its user agent) and one with its 30 s per-request timeout too, which tells
/// that timer's share.
///
/// Raw reqwest is built without a crypto provider, and the sparse-patch client installs none
/// (it gives ring to its own HTTP client, issue 13): this program, as an application using raw
/// reqwest would, installs ring as the process default first.
///
/// # Panics
///
/// When a provider is already installed, or reqwest cannot build a client.
pub fn raw_reqwest_clients() -> (reqwest::Client, reqwest::Client) {
    rustls::crypto::ring::default_provider()
        .install_default()
        .expect("no provider is installed yet");
    let http = reqwest::Client::builder()
        .user_agent(sparse_patch::pingone::DEFAULT_USER_AGENT)
        .build()
        .expect("a reqwest client");
    let http_with_timeout = reqwest::Client::builder()
        .user_agent(sparse_patch::pingone::DEFAULT_USER_AGENT)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a reqwest client");
    (http, http_with_timeout)
}
