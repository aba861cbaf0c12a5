//! The bound on the readings of the patch that one change's names take to tell an alias from
//! another name ([`Budget`]), and the names already read.

use core::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A place's keys from the document's root, and a name there as written.
pub(super) type Place = (Vec<String>, String);

/// How many readings of the patch one change's names may take to tell an alias from another
/// name: a message of many operations, or a value of many members, at names that the model's
/// JSON does not hold, costs this much at most (its later names are read as written).
pub(super) const READINGS: usize = 512;

/// The readings left to [`one_field`](super::one_field), and the names already read ([`named_at`](super::named_at)), so that a
/// name that many operations write at one place (`emails[type eq "…"].address`, element by
/// element) takes its readings once.
pub(super) struct Budget {
    pub(super) left: Cell<usize>,
    /// By the place's keys and the name as written: the name as read and the name it names.
    pub(super) known: RefCell<HashMap<Place, (String, String)>>,
}

impl Budget {
    pub(super) fn new() -> Self {
        Budget {
            left: Cell::new(READINGS),
            known: RefCell::default(),
        }
    }

    pub(super) fn spent(&self) -> bool {
        self.left.get() == 0
    }

    /// Takes one reading, if one is left.
    pub(super) fn take(&self) -> bool {
        let left = self.left.get();
        self.left.set(left.saturating_sub(1));
        left > 0
    }
}
