//! [`ScimPatchError`] and [`ScimFault`]: why a SCIM PatchOp message could not be applied, with
//! the `scimType` of RFC 7644 §3.12 that a service provider answers with.

use core::fmt;

use serde_json::Value;

use crate::ScimOp;
use crate::quoted::ReaderError;

mod debug;

/// Why [`apply_scim_patch`](crate::apply_scim_patch) or
/// [`merge_from_scim_patch`](crate::merge_from_scim_patch) refused a PatchOp message. The
/// message fails as a whole (RFC 7644 §3.5.2: "If an error occurs … the entire request
/// fails"): nothing of it is applied.
///
/// [`scim_type`](Self::scim_type) gives the `scimType` of the error response (RFC 7644
/// §3.12) that a service provider sends with its 400.
///
/// [`Patch::from_scim_patch`](crate::Patch::from_scim_patch), which reads the message into a
/// typed patch, adds [`Serialize`](Self::Serialize) and [`Patch`](Self::Patch).
///
/// Its text quotes an operation's `path` escaped as Rust's `Debug` writes a string, and only
/// its first 200 characters (then `…` and its length) where it is longer: the path is the
/// request's, and may be megabytes long. The field holds it whole. Its `Debug` quotes it so
/// too, and serde_json's error with its message shortened.
#[non_exhaustive]
pub enum ScimPatchError {
    /// The document is not a JSON object, as a SCIM resource is (RFC 7643 §2).
    NotAnObject {
        /// What it is: `"an array"`, `"a string"`, `"null"`...
        found: &'static str,
    },
    /// Operation `index` (from 0) could not be applied.
    Operation {
        /// The operation's place in `Operations`, from 0.
        index: usize,
        /// Its `op`.
        op: ScimOp,
        /// Its `path`, as sent; `None` for an operation without one.
        path: Option<String>,
        /// What is wrong.
        fault: ScimFault,
    },
    /// The base model did not serialize to JSON (a map with keys that are not strings, a
    /// `Serialize` impl that failed).
    Serialize(serde_json::Error),
    /// The change is one that the typed patch cannot hold, as serde's reading of its merge
    /// patch (or of the changed JSON as the model) says: a required attribute removed
    /// (``invalid value: null for `email`, a required attribute that cannot be cleared``), a
    /// value of the wrong type, an attribute that a patch with `deny_unknown_fields` refuses;
    /// or a keyed array (`#[patchable(key = "...")]`) left with two elements of one key or one
    /// without it, which `apply` refuses ([`ApplyError`](crate::ApplyError)'s text).
    Patch(serde_json::Error),
    /// A name that the operations write (a member of a value, or a path's attribute or
    /// sub-attribute that the resource did not hold) where serde reads the model's names from
    /// its own buffer, exactly (below a flattened field other than the top level's, inside an
    /// internally tagged or untagged enum), and that the model does not read there: it may be
    /// one of the model's names in another case (RFC 7643 §2.1 reads names in any case), which
    /// the typed reading cannot tell there, and reading on would drop its value
    /// (`invalidValue`). An unknown name there is refused too. Elsewhere a name in another
    /// case is read as the model's. Only [`Patch::from_scim_patch`](crate::Patch::from_scim_patch)
    /// gives it.
    NameNotRead {
        /// The name's path in the resource, members joined by `.` and elements as `[n]`:
        /// `name.FamilyName`, `pets[0].LifeCount`.
        path: String,
    },
}

/// What is wrong with one operation of a PatchOp message (RFC 7644 §3.5.2), each with its
/// `scimType` (RFC 7644 §3.12, [`ScimFault::scim_type`]). Its `Debug` quotes each name,
/// attribute and reason cut to its first 200 characters and its length.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScimFault {
    /// An `add` or `replace` without `value`, which RFC 7644 §3.5.2.1 and §3.5.2.3 require
    /// (`invalidValue`).
    MissingValue,
    /// A `remove` without `path` (RFC 7644 §3.5.2.2: `noTarget`).
    RemoveWithoutPath,
    /// A `remove` with a `value` other than `null` at a path with a filter or a sub-attribute
    /// (`members[value eq "a"]` and `[{"value": "b"}]`): the path already says what to remove,
    /// and the value would say something else (`invalidValue`). At a plain attribute, the
    /// value names the values to remove, as Microsoft Entra ID removes group members
    /// (`"path": "members", "value": [{"value": "…"}]`; RFC 7644 §3.5.2.2 gives `remove` no
    /// value, and the request reads as the filter `members[value eq "…"]`).
    RemoveWithValue,
    /// A `remove` whose value (at a plain attribute: the values to remove) holds an element
    /// that names nothing (`{}`, `null`, `{"$ref": null}`), which would select every value
    /// (`invalidValue`).
    EmptyRemovedValue,
    /// A `remove` whose value (at a plain attribute: the values to remove) compares a value
    /// with an array or an object: an element that is an array (`[["a"]]`), or a member of an
    /// element that is one (`[{"value": ["a"]}]`). A multi-valued attribute's values are
    /// simple, or complex with simple sub-attributes (RFC 7643 §2.3.8, §2.4), and a filter
    /// compares a string, a number, a boolean or `null` (RFC 7644 §3.4.2.2's `compValue`): the
    /// value would match nothing, and the `remove` would change nothing without a word
    /// (`invalidValue`).
    RemovedValueNotSimple {
        /// What the value compared is: `"an array"` or `"an object"`.
        found: &'static str,
    },
    /// A `remove` with a value at an attribute that holds one value (a string, a number, a
    /// boolean or a complex value, not an array): the value names values of a multi-valued
    /// attribute to remove (as Microsoft Entra ID removes group members), and there are none
    /// to select (`invalidValue`). Without its value the `remove` removes the attribute.
    RemovedValueOfSingleValue {
        /// The attribute, as the path names it.
        attribute: String,
    },
    /// An `add` or `replace` without `path` whose value is not an object of attributes
    /// (RFC 7644 §3.5.2.1, §3.5.2.3: `invalidValue`).
    PathlessValueNotAnObject {
        /// What the value is: `"a string"`, `"an array"`...
        found: &'static str,
    },
    /// An `add` or `replace` at `attr[filter]` whose value is not an object of sub-attributes:
    /// a filter selects complex values (RFC 7644 §3.5.2.1, §3.5.2.3: `invalidValue`).
    FilteredValueNotAnObject {
        /// What the value is.
        found: &'static str,
    },
    /// The path, outside its filter, is not one that RFC 7644 §3.5.2 "PATH" reads
    /// (`invalidPath`).
    MalformedPath {
        /// What is wrong, and at which byte.
        reason: String,
    },
    /// The filter of the path (between `[` and `]`) is not one that RFC 7644 §3.4.2.2 reads,
    /// nests parentheses deeper than 32 levels, or compares a value its operator does not
    /// take (`co` a number, `gt` a boolean): `invalidFilter`.
    MalformedFilter {
        /// What is wrong, and at which byte.
        reason: String,
    },
    /// A member of a path-less `add` or `replace` value whose name is neither an attribute
    /// name (RFC 7643 §2.1), a schema URN nor a path (`given name`, `name..given`;
    /// `invalidPath`). A member named by a path (`name.givenName`,
    /// `emails[type eq "work"].value`, as Microsoft Entra ID writes them) is set at that path.
    NotAnAttributeName {
        /// The member's name.
        name: String,
    },
    /// Two members of a path-less `add` or `replace` value that name one attribute, or one
    /// inside the other: `title` and `Title` (names compare in any case, RFC 7643 §2.1),
    /// `name` and `name.givenName`, an extension's URN and one of its attributes; or two
    /// members of one object at any depth of an `add` or `replace` value that differ only in
    /// case (`{"givenName": "a", "GivenName": "b"}` at `name`, `[{"value": "a", "Value": "b"}]`
    /// at `emails`: then named by their paths in the value, `[0].value`). A JSON object's
    /// members have no order that says which one comes last (`invalidSyntax`).
    OverlappingMembers {
        /// One member's name.
        first: String,
        /// The other's.
        second: String,
    },
    /// A `replace` at `attr[filter]` whose filter matches no value of the attribute
    /// (RFC 7644 §3.5.2.3: `noTarget`).
    NoMatch {
        /// The attribute, as the path names it.
        attribute: String,
    },
    /// An `add` at `attr[filter]` (or `attr[filter].sub`) whose filter matches no value, where
    /// the value to add is not one element that the filter would select: a filter with `or`,
    /// or a value that contradicts the filter's comparisons (`noTarget`). (Where it is one, it
    /// is added: RFC 7644 §3.5.2.1, "if the target location does not exist, the attribute and
    /// value are added".)
    NoElementToAdd {
        /// The attribute, as the path names it.
        attribute: String,
        /// Whether the filter has `or` (else: the value contradicts the filter).
        ambiguous: bool,
    },
    /// A filter on an attribute that holds a value that is not an array (`invalidPath`).
    NotMultiValued {
        /// The attribute, as the path names it.
        attribute: String,
    },
    /// A filter on a multi-valued attribute that holds a value that is not an object, which
    /// has no sub-attributes for a filter to compare (`invalidFilter`).
    SimpleValues {
        /// The attribute, as the path names it.
        attribute: String,
        /// What the first such value is.
        found: &'static str,
    },
    /// `attr.sub` where `attr` holds a simple value, neither an object nor an array (an array
    /// is [`MultiValuedSubAttribute`](ScimFault::MultiValuedSubAttribute); `invalidPath`).
    NotComplex {
        /// The attribute (or the schema URN).
        attribute: String,
        /// The sub-attribute that the path names in it.
        sub: String,
    },
    /// `attr.sub` where `attr` is multi-valued (holds an array, `emails.value`): the path does
    /// not say which of its values; a filter selects them (`emails[type eq "work"].value`,
    /// RFC 7644 §3.5.2's `valuePath`; `invalidPath`).
    MultiValuedSubAttribute {
        /// The attribute, as the path names it.
        attribute: String,
        /// The sub-attribute that the path names in it.
        sub: String,
    },
    /// A URN-qualified path (`urn:…:User:employeeNumber`, RFC 7644 §3.10) whose extension's
    /// member in the resource holds a value that is not an object, as an extension's
    /// attributes are held (RFC 7643 §3.3; `invalidPath`).
    ExtensionNotAnObject {
        /// The extension's schema URN.
        urn: String,
        /// What its member holds.
        found: &'static str,
    },
}

impl ScimFault {
    /// The `scimType` of RFC 7644 §3.12 for this fault: `invalidPath`, `noTarget`,
    /// `invalidValue`, `invalidFilter` or `invalidSyntax`.
    #[must_use]
    pub fn scim_type(&self) -> &'static str {
        match self {
            ScimFault::MissingValue
            | ScimFault::RemoveWithValue
            | ScimFault::EmptyRemovedValue
            | ScimFault::RemovedValueNotSimple { .. }
            | ScimFault::RemovedValueOfSingleValue { .. }
            | ScimFault::PathlessValueNotAnObject { .. }
            | ScimFault::FilteredValueNotAnObject { .. } => "invalidValue",
            ScimFault::RemoveWithoutPath
            | ScimFault::NoMatch { .. }
            | ScimFault::NoElementToAdd { .. } => "noTarget",
            ScimFault::MalformedPath { .. }
            | ScimFault::NotAnAttributeName { .. }
            | ScimFault::NotMultiValued { .. }
            | ScimFault::NotComplex { .. }
            | ScimFault::MultiValuedSubAttribute { .. }
            | ScimFault::ExtensionNotAnObject { .. } => "invalidPath",
            ScimFault::SimpleValues { .. } | ScimFault::MalformedFilter { .. } => "invalidFilter",
            ScimFault::OverlappingMembers { .. } => "invalidSyntax",
        }
    }

    /// The section of RFC 7644 whose rule the fault breaks.
    fn section(&self) -> &'static str {
        match self {
            ScimFault::RemoveWithoutPath
            | ScimFault::RemoveWithValue
            | ScimFault::EmptyRemovedValue
            | ScimFault::RemovedValueNotSimple { .. }
            | ScimFault::RemovedValueOfSingleValue { .. } => "§3.5.2.2",
            ScimFault::ExtensionNotAnObject { .. } => "§3.10",
            ScimFault::NoMatch { .. } => "§3.5.2.3",
            ScimFault::MalformedFilter { .. } | ScimFault::SimpleValues { .. } => "§3.4.2.2",
            ScimFault::MalformedPath { .. } => "§3.5.2",
            _ => "§3.5.2.1",
        }
    }
}

impl ScimPatchError {
    /// The `scimType` of RFC 7644 §3.12 that a service provider answers this error with
    /// ([`ScimFault::scim_type`]); `invalidValue` for a change that the typed patch cannot
    /// hold (a value "not compatible with the … attribute type", or a required one removed);
    /// `None` for a document that is not an object or a model that does not serialize, which
    /// are the caller's faults rather than the message's.
    #[must_use]
    pub fn scim_type(&self) -> Option<&'static str> {
        match self {
            ScimPatchError::NotAnObject { .. } | ScimPatchError::Serialize(_) => None,
            ScimPatchError::Operation { fault, .. } => Some(fault.scim_type()),
            ScimPatchError::Patch(_) | ScimPatchError::NameNotRead { .. } => Some("invalidValue"),
        }
    }
}

/// How many characters of an operation's `path` [`ScimPatchError`]'s text quotes.
const PATH_CHARS: usize = 200;

impl fmt::Display for ScimPatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScimPatchError::NotAnObject { found } => write!(
                f,
                "the document is {found}, not a JSON object as a SCIM resource is (RFC 7643 §2)"
            ),
            ScimPatchError::Operation {
                index,
                op,
                path,
                fault,
            } => {
                write!(f, "operation {index} (`{op}` ")?;
                match path {
                    Some(path) => write!(
                        f,
                        "at {}",
                        crate::quoted::Quoted {
                            text: path,
                            max: PATH_CHARS
                        }
                    )?,
                    None => f.write_str("without a path")?,
                }
                write!(
                    f,
                    ") cannot be applied: {fault} (scimType {}, RFC 7644 {}); no operation is \
                     applied (RFC 7644 §3.5.2)",
                    fault.scim_type(),
                    fault.section()
                )
            }
            ScimPatchError::Serialize(error) => write!(
                f,
                "the base model does not serialize to JSON: {}",
                ReaderError(error)
            ),
            ScimPatchError::Patch(error) => write!(
                f,
                "the operations make a change that the patch cannot hold: {}",
                ReaderError(error)
            ),
            ScimPatchError::NameNotRead { path } => write!(
                f,
                "the operations write {}, which the model does not read: there (below a \
                 flattened field, inside an internally tagged or untagged enum) serde reads \
                 names exactly, from its own buffer, and a name in another case than the \
                 model's (RFC 7643 §2.1 reads names in any case) cannot be found; spell it as \
                 the model does",
                crate::quoted::Quoted {
                    text: path,
                    max: PATH_CHARS
                }
            ),
        }
    }
}

/// How many characters of a [`ScimFault`]'s text are shown: a fault quotes the message's names,
/// filters and values, which a request body may make megabytes long.
const FAULT_CHARS: usize = 2_000;

/// A fault's text says what the message held (a name, a filter's value), which may hold line
/// ends, ANSI escapes or bidi overrides: they are escaped as Rust's `Debug` escapes them
/// (`\u{1b}`, `\n`, `\u{202e}`), and the text is cut to 2,000 characters (then `…` and its
/// length), so that no message drives the terminal or floods the log that shows the error.
impl fmt::Display for ScimFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = Unbounded(self).to_string();
        write!(f, "{}", crate::quoted::EscapedCut(&text, FAULT_CHARS))
    }
}

/// A [`ScimFault`]'s text as its parts make it, before escaping and cutting.
struct Unbounded<'a>(&'a ScimFault);

impl fmt::Display for Unbounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            ScimFault::MissingValue => f.write_str("an add or replace needs a value"),
            ScimFault::RemoveWithoutPath => f.write_str("a remove needs a path"),
            ScimFault::RemoveWithValue => f.write_str(
                "a remove at a filter or a sub-attribute takes no value: it removes all that its \
                 path names; name the values to remove either with a filter \
                 (attr[sub eq \"value\"]) or with a value at the attribute itself",
            ),
            ScimFault::EmptyRemovedValue => f.write_str(
                "each element of a remove's value names a value to remove by its \
                 sub-attributes ({\"value\": \"…\"}); one names none, and would remove every \
                 value",
            ),
            ScimFault::RemovedValueNotSimple { found } => write!(
                f,
                "a remove's value names the values to remove by simple values (a string, a \
                 number, a boolean), alone or as sub-attributes ({{\"value\": \"…\"}}); it \
                 compares {found}, which no value of a multi-valued attribute is (RFC 7643 \
                 §2.3.8, §2.4)"
            ),
            ScimFault::RemovedValueOfSingleValue { attribute } => write!(
                f,
                "a remove's value names values of a multi-valued attribute, and {attribute} \
                 holds one value, not an array of them: remove it without a value"
            ),
            ScimFault::PathlessValueNotAnObject { found } => write!(
                f,
                "without a path, the value must be an object of attributes, not {found}"
            ),
            ScimFault::FilteredValueNotAnObject { found } => write!(
                f,
                "a filter selects complex values: the value at it must be an object of \
                 sub-attributes, not {found}"
            ),
            ScimFault::MalformedPath { reason } => write!(f, "the path is malformed: {reason}"),
            ScimFault::MalformedFilter { reason } => write!(
                f,
                "the path's filter is malformed or not supported: {reason}"
            ),
            ScimFault::NotAnAttributeName { name } => write!(
                f,
                "the value's member {name:?} is not an attribute name, a schema URN or a path"
            ),
            ScimFault::OverlappingMembers { first, second } => write!(
                f,
                "the value's members {first:?} and {second:?} name one attribute, or one inside \
                 the other, and a JSON object does not say which comes last: send them in two \
                 operations"
            ),
            ScimFault::NoMatch { attribute } => {
                write!(f, "no value of {attribute} matches the filter")
            }
            ScimFault::NoElementToAdd {
                attribute,
                ambiguous,
            } => write!(
                f,
                "no value of {attribute} matches the filter, and {}",
                no_element_reason(*ambiguous)
            ),
            ScimFault::NotMultiValued { attribute } => write!(
                f,
                "{attribute} is not multi-valued: a filter cannot select its values"
            ),
            ScimFault::SimpleValues { attribute, found } => write!(
                f,
                "{attribute} holds simple values ({found} among them), which have no \
                 sub-attributes for a filter to compare"
            ),
            ScimFault::NotComplex { attribute, sub } => write!(
                f,
                "{attribute} is not a complex attribute: {attribute}.{sub} does not exist"
            ),
            ScimFault::MultiValuedSubAttribute { attribute, sub } => write!(
                f,
                "{attribute} is multi-valued: {attribute}.{sub} does not say which of its \
                 values; select them with a filter, as in {attribute}[type eq \"work\"].{sub}"
            ),
            ScimFault::ExtensionNotAnObject { urn, found } => write!(
                f,
                "the resource holds {found} as the extension {urn}, not an object of its \
                 attributes (RFC 7643 §3.3)"
            ),
        }
    }
}

/// Why an `add` at a filter that matches nothing adds nothing ([`ScimFault::NoElementToAdd`]).
pub(crate) fn no_element_reason(ambiguous: bool) -> &'static str {
    if ambiguous {
        "a filter with `or` does not say which value to add"
    } else {
        "the value added would not match it: its comparisons and the value disagree"
    }
}

/// No [`source`](std::error::Error::source): the text already writes the fault and
/// serde_json's error.
impl std::error::Error for ScimPatchError {}

/// What a JSON value is, for a message: `a string`, `an array`...
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
