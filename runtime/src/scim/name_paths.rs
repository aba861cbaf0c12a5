//! Paths of names in a JSON value (`name.givenName`, `pets[0].kind`), and those that a typed
//! model's reading meets where serde reads names from its own buffer (below a flattened
//! field, inside an internally tagged or untagged enum), for
//! [`respell_as_model`](super::respell_as_model) and
//! [`first_unread`](super::unread_names::first_unread).

use core::cell::RefCell;
use core::fmt;

use serde_json::Value;

/// One step of a path into a JSON value: an object's member or an array's element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// The member of this name.
    Member(String),
    /// The element at this index.
    Element(usize),
}

/// The path of a member in a JSON value, from its top: `name.givenName`, `pets[0].kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NamePath(pub(crate) Vec<Step>);

impl NamePath {
    /// The value at this path in `value`.
    pub(crate) fn find<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.0
            .iter()
            .try_fold(value, |value, step| match (step, value) {
                (Step::Member(name), Value::Object(members)) => members.get(name),
                (Step::Element(at), Value::Array(items)) => items.get(*at),
                _ => None,
            })
    }

    /// The value at this path in `value`, to change.
    pub(crate) fn find_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        self.0
            .iter()
            .try_fold(value, |value, step| match (step, value) {
                (Step::Member(name), Value::Object(members)) => members.get_mut(name),
                (Step::Element(at), Value::Array(items)) => items.get_mut(*at),
                _ => None,
            })
    }
}

impl fmt::Display for NamePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, step) in self.0.iter().enumerate() {
            match step {
                Step::Member(name) if at == 0 => f.write_str(name)?,
                Step::Member(name) => write!(f, ".{name}")?,
                Step::Element(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Where a value lies in the document that a model's reading walks: the top, or a member or
/// an element of the value at `parent`.
pub(crate) enum At<'p> {
    /// The document itself.
    Top,
    /// The member `name` of the object at `parent`.
    Member { parent: &'p At<'p>, name: &'p str },
    /// The element at `index` of the array at `parent`.
    Element { parent: &'p At<'p>, index: usize },
}

impl At<'_> {
    /// The path down to here, with `name` after it.
    pub(crate) fn path(&self, name: &str) -> NamePath {
        let mut steps = vec![Step::Member(name.to_owned())];
        let mut at = self;
        loop {
            match at {
                At::Top => break,
                At::Member { parent, name } => {
                    steps.push(Step::Member((*name).to_owned()));
                    at = parent;
                }
                At::Element { parent, index } => {
                    steps.push(Step::Element(*index));
                    at = parent;
                }
            }
        }
        steps.reverse();
        NamePath(steps)
    }
}

/// The names that a model's reading met where serde reads them from its own buffer, and the
/// base that tells those the message wrote.
pub(crate) struct Seen<'b> {
    base: &'b Value,
    unchecked: RefCell<Vec<NamePath>>,
}

impl<'b> Seen<'b> {
    /// None seen yet; `base` is the resource's JSON before the message.
    pub(crate) fn new(base: &'b Value) -> Self {
        Seen {
            base,
            unchecked: RefCell::new(Vec::new()),
        }
    }

    /// The paths kept, in the order met.
    pub(crate) fn into_paths(self) -> Vec<NamePath> {
        self.unchecked.into_inner()
    }

    /// `name`, a member of the object at `at` that serde reads from its own buffer: kept
    /// where the base does not hold it there.
    pub(crate) fn buffered(&self, at: &At<'_>, name: &str) {
        let path = at.path(name);
        if path.find(self.base).is_none() {
            self.unchecked.borrow_mut().push(path);
        }
    }
}
