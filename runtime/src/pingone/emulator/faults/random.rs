//! [`RandomFaults`]: faults drawn at random, from a seeded generator, for the requests that
//! find no queued fault.

use super::Fault;

/// Faults drawn at random: each request to a users endpoint that finds no queued fault gets
/// one of `faults` with probability `probability`, from a generator seeded with `seed`, so that
/// a run can be replayed. Set with
/// [`EmulatorBuilder::random_faults`](super::super::EmulatorBuilder::random_faults).
///
/// The draws follow the order in which requests reach the emulator; with concurrent clients
/// that order, and so which request gets which fault, may differ between runs of one seed,
/// while the rate and the mix of faults stay the same.
///
/// ```
/// use std::time::Duration;
/// use sparse_patch::pingone::emulator::{Fault, RandomFaults};
///
/// let chaos = RandomFaults::new(42, 0.1, vec![Fault::Status(503), Fault::Slow(Duration::from_millis(50))]);
/// assert_eq!(chaos.seed(), 42);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    seed: u64,
    probability: f64,
    faults: Vec<Fault>,
    /// The generator's state (SplitMix64).
    state: u64,
    /// How many faults were given so far.
    given: u64,
}

impl RandomFaults {
    /// Each request gets one of `faults` (picked uniformly) with `probability`, clamped to
    /// 0 to 1; no fault when `faults` is empty.
    #[must_use]
    pub fn new(seed: u64, probability: f64, faults: Vec<Fault>) -> Self {
        let probability = if probability.is_nan() {
            0.0
        } else {
            probability.clamp(0.0, 1.0)
        };
        RandomFaults {
            seed,
            probability,
            faults,
            state: seed,
            given: 0,
        }
    }

    /// The seed the faults are drawn from.
    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many faults were given so far.
    #[must_use]
    pub fn given(&self) -> u64 {
        self.given
    }

    /// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
    /// OOPSLA 2014): enough for test faults, and no dependency.
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The fault of the next request, if it gets one.
    pub(in crate::pingone::emulator) fn draw(&mut self) -> Option<Fault> {
        if self.faults.is_empty() {
            return None;
        }
        // 53 random bits as a fraction in [0, 1).
        #[allow(clippy::cast_precision_loss)]
        let roll = (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64;
        if roll >= self.probability {
            return None;
        }
        let len = self.faults.len() as u64;
        let pick = usize::try_from(self.next_u64() % len).unwrap_or(0);
        self.given += 1;
        self.faults.get(pick).cloned()
    }
}
