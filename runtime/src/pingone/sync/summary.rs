//! The counts of a run ([`Summary`]): how many lines ended with each [`Status`], summed as
//! the outcomes come, and written as `12 lines: 5 changed, 3 unchanged`.

use core::fmt;

use super::outcome::{Outcome, Status};

/// The counts of a run, by [`Status`].
///
/// ```
/// use sparse_patch::pingone::sync::{Outcome, Status, Summary};
///
/// let mut summary = Summary::default();
/// summary.add(&Outcome::new(1, None, Status::Changed));
/// summary.add(&Outcome::new(2, None, Status::NotFound));
/// assert_eq!(summary.lines(), 2);
/// assert_eq!(summary.failed(), 1);
/// assert_eq!(summary.to_string(), "2 lines: 1 changed, 1 notFound");
///
/// let mut one = Summary::default();
/// one.add(&Outcome::new(1, None, Status::Changed));
/// assert_eq!(one.to_string(), "1 line: 1 changed");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    counts: [usize; Status::ALL.len()],
}

impl Summary {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        if let Some(slot) = Status::ALL.iter().position(|s| *s == outcome.status) {
            self.counts[slot] += 1;
        }
    }

    /// How many outcomes have `status`.
    #[must_use]
    pub fn count(&self, status: Status) -> usize {
        Status::ALL
            .iter()
            .position(|s| *s == status)
            .map_or(0, |slot| self.counts[slot])
    }

    /// How many outcomes were counted.
    #[must_use]
    pub fn lines(&self) -> usize {
        self.counts.iter().sum()
    }

    /// How many of them are failures ([`Status::is_failure`]).
    #[must_use]
    pub fn failed(&self) -> usize {
        Status::ALL
            .iter()
            .zip(self.counts)
            .filter(|(status, _)| status.is_failure())
            .map(|(_, count)| count)
            .sum()
    }
}

/// Counts each outcome, as [`Summary::add`] does.
impl<'a> Extend<&'a Outcome> for Summary {
    fn extend<I: IntoIterator<Item = &'a Outcome>>(&mut self, outcomes: I) {
        outcomes.into_iter().for_each(|outcome| self.add(outcome));
    }
}

/// Counts each outcome, as [`Summary::add`] does: a stream of outcomes
/// ([`SyncJob::run`](super::SyncJob::run)) collects into a summary with `StreamExt::collect`.
impl Extend<Outcome> for Summary {
    fn extend<I: IntoIterator<Item = Outcome>>(&mut self, outcomes: I) {
        outcomes.into_iter().for_each(|outcome| self.add(&outcome));
    }
}

/// The counts of the outcomes.
///
/// ```
/// use sparse_patch::pingone::sync::{Outcome, Status, Summary};
///
/// let outcomes = [Outcome::new(1, None, Status::Changed), Outcome::new(2, None, Status::Unchanged)];
/// let summary: Summary = outcomes.iter().collect();
/// assert_eq!(summary.to_string(), "2 lines: 1 changed, 1 unchanged");
/// ```
impl<'a> FromIterator<&'a Outcome> for Summary {
    fn from_iter<I: IntoIterator<Item = &'a Outcome>>(outcomes: I) -> Self {
        let mut summary = Summary::default();
        summary.extend(outcomes);
        summary
    }
}

/// The counts of the outcomes.
impl FromIterator<Outcome> for Summary {
    fn from_iter<I: IntoIterator<Item = Outcome>>(outcomes: I) -> Self {
        let mut summary = Summary::default();
        summary.extend(outcomes);
        summary
    }
}

impl fmt::Display for Summary {
    /// `12 lines: 5 changed, 3 unchanged, 1 notFound` (`1 line: 1 changed`), statuses with no
    /// line left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines = self.lines();
        write!(f, "{lines} {}", if lines == 1 { "line" } else { "lines" })?;
        let mut separator = ": ";
        for (status, count) in Status::ALL.iter().zip(self.counts) {
            if count > 0 {
                write!(f, "{separator}{count} {status}")?;
                separator = ", ";
            }
        }
        Ok(())
    }
}
