//! The tri-state [`Field`]: absent, null or value.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One attribute of a JSON merge patch (RFC 7396): absent, null or a value.
///
/// | variant | JSON | meaning on apply (RFC 7396 §2) |
/// |---|---|---|
/// | [`Field::Absent`] | key left out | the attribute is not changed |
/// | [`Field::Null`] | `null` | the attribute is removed (cleared) |
/// | [`Field::Value`] | the value | the attribute is set to the value |
///
/// `Field<T>` has the size of `Option<Option<T>>` and converts to and from it
/// (`None` is absent, `Some(None)` is null).
///
/// From an `Option<T>`, `None` is **null**: `Field::from(model.nickname.clone())` makes the
/// attribute what the option says, so a `None` clears it (as in [`Field::diff`]). Where `None` means "not given, leave it" (an optional
/// form field, struct-patch's reading), write `option.map_or(Field::Absent, Field::Value)`:
///
/// ```
/// use sparse_patch::Field;
///
/// let not_given: Option<String> = None;
/// assert_eq!(Field::from(not_given.clone()), Field::Null); // clears the attribute
/// assert_eq!(not_given.map_or(Field::Absent, Field::Value), Field::Absent); // leaves it
/// ```
///
/// # Serde
///
/// [`Field::Null`] serializes as `null` and [`Field::Value`] as the value itself. A JSON `null`
/// deserializes as [`Field::Null`], anything else as [`Field::Value`], and a key that the input
/// leaves out as [`Field::Absent`], in any struct that serde's derive reads, with or without
/// `#[serde(default)]` on the field (serde reads a left-out `Option` as it reads `null`,
/// serde-rs/serde#1042; `Field` tells the two apart). A `#[serde(flatten)]` `Field<T>` reads as
/// [`Field::Value`] when `T` reads from the keys left over, and as [`Field::Absent`] otherwise
/// (none of `T`'s keys given, or one that `T` refuses: serde's flattened `Option` reads so), never
/// as [`Field::Null`]. Writing a key or leaving it out is the
/// struct's choice: the patches that `#[derive(Patchable)]` generates leave out every absent
/// field. In a struct of your own, give every `Field`
/// `#[serde(skip_serializing_if = "Field::is_absent")]`: without it an absent field is written
/// `null`, which clears the attribute, as there is no way to write "nothing".
///
/// ```
/// use sparse_patch::Field;
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Careless { nickname: Field<String> }
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Careful {
///     #[serde(default, skip_serializing_if = "Field::is_absent")]
///     nickname: Field<String>,
/// }
///
/// let careless: Careless = serde_json::from_str("{}").unwrap();
/// assert_eq!(careless.nickname, Field::Absent);
/// // Written back, the absent nickname is `null`: this clears it.
/// assert_eq!(serde_json::to_string(&careless).unwrap(), r#"{"nickname":null}"#);
/// let careful: Careful = serde_json::from_str("{}").unwrap();
/// assert_eq!(serde_json::to_string(&careful).unwrap(), "{}");
/// let cleared: Careful = serde_json::from_str(r#"{"nickname":null}"#).unwrap();
/// assert_eq!(cleared.nickname, Field::Null);
/// ```
///
/// A value whose own serialization is `null` (a `serde_json::Value::Null`, an `f64` NaN, the
/// `None` of a `Field<Option<T>>`, `()`) is sent as `null` and so clears the attribute: JSON
/// cannot tell the two apart, and it reads back as [`Field::Null`]. For the same reason an
/// `Option<Field<T>>` has no null: serde's `Option` reads `null` as its own `None` before the
/// `Field` sees it. Hold the attribute's three states in the `Field<T>` alone.
///
/// In a format that has no null (TOML), writing [`Field::Null`] (or [`Field::Absent`] on its
/// own) is an error, ``cannot write null for a `Field::Null` (clear the attribute): ...``:
/// TOML's tables would otherwise leave the key out, and a patch read back would keep the
/// attribute instead of clearing it. A derived patch's error names the attribute.
///
/// ```
/// use sparse_patch::Field;
///
/// #[derive(serde::Serialize)]
/// struct Settings {
///     #[serde(skip_serializing_if = "Field::is_absent")]
///     nickname: Field<String>,
/// }
///
/// let cleared = Settings { nickname: Field::Null };
/// assert!(toml::to_string(&cleared).unwrap_err().to_string().starts_with("cannot write null"));
/// let set = Settings { nickname: Field::Value("Dave".to_owned()) };
/// assert_eq!(toml::to_string(&set).unwrap(), "nickname = \"Dave\"\n");
/// ```
///
/// # Examples
///
/// ```
/// use sparse_patch::Field;
///
/// let nickname: Field<String> = Field::Value("Dave".to_owned());
/// assert!(nickname.is_value());
/// assert_eq!(nickname.value().map(String::as_str), Some("Dave"));
///
/// let cleared: Field<String> = serde_json::from_str("null").unwrap();
/// assert_eq!(cleared, Field::Null);
/// assert_eq!(serde_json::to_string(&Field::Value(3)).unwrap(), "3");
///
/// let absent: Field<u8> = Field::default();
/// assert_eq!(Option::<Option<u8>>::from(absent), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Field<T> {
    /// Not sent: the attribute keeps its value.
    #[default]
    Absent,
    /// Sent as JSON `null`: the attribute is cleared.
    Null,
    /// Sent as the value: the attribute is set to it.
    Value(T),
}

impl<T> Field<T> {
    /// Returns `true` for [`Field::Absent`].
    #[must_use]
    pub const fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Returns `true` for [`Field::Null`].
    #[must_use]
    pub const fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// Returns `true` for [`Field::Value`].
    #[must_use]
    pub const fn is_value(&self) -> bool {
        matches!(self, Field::Value(_))
    }

    /// Returns `true` for [`Field::Null`] and [`Field::Value`]: the field is sent.
    #[must_use]
    pub const fn is_present(&self) -> bool {
        !self.is_absent()
    }

    /// Borrows the value: `Some(&v)` for [`Field::Value`], `None` for absent and null.
    #[must_use]
    pub const fn value(&self) -> Option<&T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    /// Mutably borrows the value: `Some(&mut v)` for [`Field::Value`], `None` otherwise.
    #[must_use]
    pub const fn value_mut(&mut self) -> Option<&mut T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    /// Takes the value out: `Some(v)` for [`Field::Value`], `None` otherwise.
    #[must_use]
    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            Field::Absent | Field::Null => None,
        }
    }

    /// Converts `&Field<T>` to `Field<&T>`.
    #[must_use]
    pub const fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// Converts `&mut Field<T>` to `Field<&mut T>`.
    #[must_use]
    pub const fn as_mut(&mut self) -> Field<&mut T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(value),
        }
    }

    /// Converts `&Field<T>` to `Field<&T::Target>`, for example `Field<&str>` from
    /// `&Field<String>`.
    #[must_use]
    pub fn as_deref(&self) -> Field<&T::Target>
    where
        T: core::ops::Deref,
    {
        self.as_ref().map(|value| &**value)
    }

    /// Converts `&mut Field<T>` to `Field<&mut T::Target>`, for example `Field<&mut str>` from
    /// `&mut Field<String>`.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let mut nickname = Field::Value("dave".to_owned());
    /// if let Field::Value(text) = nickname.as_deref_mut() {
    ///     text.make_ascii_uppercase();
    /// }
    /// assert_eq!(nickname, Field::Value("DAVE".to_owned()));
    /// ```
    #[must_use]
    pub fn as_deref_mut(&mut self) -> Field<&mut T::Target>
    where
        T: core::ops::DerefMut,
    {
        self.as_mut().map(|value| &mut **value)
    }

    /// Maps the value with `f`, keeping absent and null as they are.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => Field::Value(f(value)),
        }
    }

    /// Maps the value with `f`, which may itself turn it into absent or null; absent and null
    /// stay as they are. For example, a form's text where an empty text clears the attribute:
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let clear_if_empty = |text: String| {
    ///     if text.is_empty() { Field::Null } else { Field::Value(text) }
    /// };
    /// assert_eq!(Field::Value(String::new()).and_then(clear_if_empty), Field::Null);
    /// let dave = Field::Value("Dave".to_owned());
    /// assert_eq!(dave.clone().and_then(clear_if_empty), dave);
    /// assert_eq!(Field::Absent.and_then(clear_if_empty), Field::Absent);
    /// ```
    pub fn and_then<U, F: FnOnce(T) -> Field<U>>(self, f: F) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(value) => f(value),
        }
    }

    /// Returns `self` if it is present (null or value), otherwise `other`: the later of two
    /// patches to the same attribute wins in `other.or(self)`.
    #[must_use]
    pub fn or(self, other: Field<T>) -> Field<T> {
        if self.is_absent() { other } else { self }
    }

    /// Takes the field out, leaving [`Field::Absent`] in its place.
    #[must_use]
    pub const fn take(&mut self) -> Field<T> {
        core::mem::replace(self, Field::Absent)
    }

    /// Puts `value` in the field ([`Field::Value`]) and returns what the field held before.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let mut nickname = Field::Null;
    /// assert_eq!(nickname.replace("Dave"), Field::Null);
    /// assert_eq!(nickname, Field::Value("Dave"));
    /// ```
    pub const fn replace(&mut self, value: T) -> Field<T> {
        core::mem::replace(self, Field::Value(value))
    }

    /// Turns the field into a nullable attribute's new state: `Some(Some(v))` for a value,
    /// `Some(None)` for null and `None` for absent (no change).
    #[must_use]
    pub fn into_option(self) -> Option<Option<T>> {
        self.into()
    }

    /// Applies the field to a nullable attribute (RFC 7396 §2 for one member): a value replaces
    /// it, null clears it, absent leaves it as it is.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let mut title = Some("Dr".to_owned());
    /// Field::<String>::Absent.apply_to(&mut title);
    /// assert_eq!(title.as_deref(), Some("Dr"));
    /// Field::Null.apply_to(&mut title);
    /// assert_eq!(title, None);
    /// ```
    pub fn apply_to(self, target: &mut Option<T>) {
        match self {
            Field::Absent => {}
            Field::Null => *target = None,
            Field::Value(value) => *target = Some(value),
        }
    }

    /// The smallest field that turns `current` into `target`: absent when they are equal, null
    /// when `target` is `None`, otherwise a clone of the target value.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// assert_eq!(Field::diff(&Some(1), &Some(1)), Field::Absent);
    /// assert_eq!(Field::diff(&Some(1), &None), Field::Null);
    /// assert_eq!(Field::diff(&None, &Some(2)), Field::Value(2));
    /// ```
    #[must_use]
    pub fn diff(current: &Option<T>, target: &Option<T>) -> Field<T>
    where
        T: PartialEq + Clone,
    {
        if current == target {
            Field::Absent
        } else {
            Field::from(target.clone())
        }
    }
}

impl<T: Copy> Field<&T> {
    /// Copies the value: `Field<T>` from `Field<&T>`.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let age = Field::Value(42_u8);
    /// let copied: Field<u8> = age.as_ref().copied();
    /// assert_eq!(copied, age);
    /// ```
    #[must_use]
    pub const fn copied(self) -> Field<T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(&value) => Field::Value(value),
        }
    }
}

impl<T: Clone> Field<&T> {
    /// Clones the value: `Field<T>` from `Field<&T>`.
    ///
    /// ```
    /// use sparse_patch::Field;
    ///
    /// let nickname = Field::Value("Dave".to_owned());
    /// let cloned: Field<String> = nickname.as_ref().cloned();
    /// assert_eq!(cloned, nickname);
    /// ```
    #[must_use]
    pub fn cloned(self) -> Field<T> {
        self.map(T::clone)
    }
}

impl<T: fmt::Debug> fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Absent => f.write_str("Absent"),
            Field::Null => f.write_str("Null"),
            Field::Value(value) => f.debug_tuple("Value").field(value).finish(),
        }
    }
}

/// `Some(v)` is a value and `None` is null: an `Option` is always sent. For `None` as absent,
/// write `option.map_or(Field::Absent, Field::Value)` (see [`Field`]).
impl<T> From<Option<T>> for Field<T> {
    fn from(option: Option<T>) -> Self {
        match option {
            Some(value) => Field::Value(value),
            None => Field::Null,
        }
    }
}

/// `None` is absent, `Some(None)` is null and `Some(Some(v))` is a value.
impl<T> From<Option<Option<T>>> for Field<T> {
    fn from(option: Option<Option<T>>) -> Self {
        match option {
            None => Field::Absent,
            Some(None) => Field::Null,
            Some(Some(value)) => Field::Value(value),
        }
    }
}

/// Absent is `None`, null is `Some(None)` and a value is `Some(Some(v))`.
impl<T> From<Field<T>> for Option<Option<T>> {
    fn from(field: Field<T>) -> Self {
        match field {
            Field::Absent => None,
            Field::Null => Some(None),
            Field::Value(value) => Some(Some(value)),
        }
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Value(value) => serializer.serialize_some(value),
            Field::Absent | Field::Null => {
                crate::private::Null(crate::private::NullOf::Field).serialize(serializer)
            }
        }
    }
}

/// `null` reads as [`Field::Null`], anything else as [`Field::Value`]; a key that the input leaves
/// out reads as [`Field::Absent`], with or without `#[serde(default)]` on the field. A
/// `#[serde(flatten)]` field reads as [`Field::Value`] when `T` reads from the keys left over and
/// as [`Field::Absent`] otherwise: there is no key of its own to be `null`.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serdes_own::<D>() {
            SerdesOwn::MissingKey => Ok(Field::Absent),
            SerdesOwn::Flattened => Option::<T>::deserialize(deserializer)
                .map(|option| option.map_or(Field::Absent, Field::Value)),
            SerdesOwn::Other => Option::<T>::deserialize(deserializer).map(Field::from),
        }
    }
}

/// Which of serde's own deserializers, that its derive hands a field, `D` is.
enum SerdesOwn {
    /// The one for a field whose key the input leaves out, when the field has no
    /// `#[serde(default)]` (`serde::__private::de::missing_field`). It answers
    /// `deserialize_option` with `visit_none`, as a `null` does, and nothing else tells the two
    /// apart: read as `null`, a left-out attribute became [`Field::Null`] and was cleared
    /// (serde-rs/serde#1042; serde_with's `double_option` refuses the key as missing there).
    MissingKey,
    /// The one for a `#[serde(flatten)]` field (`serde::__private::de::FlatMapDeserializer`). It
    /// answers an `Option` with `None` when `T` does not read from the keys left over (none of
    /// its keys given, or one of the wrong type), as a `null` reads: a flattened `Field` whose
    /// keys were all left out became [`Field::Null`] and was cleared.
    Flattened,
    /// Any other: its `None` is a `null`.
    Other,
}

/// The type's name is the only mark of serde's own deserializers; should a compiler spell it
/// otherwise, a left-out key reads as `null` again, and tests/field.rs fails.
fn serdes_own<D>() -> SerdesOwn {
    let name = core::any::type_name::<D>();
    if !name.starts_with("serde::") {
        SerdesOwn::Other
    } else if name.contains("::missing_field::MissingFieldDeserializer<") {
        SerdesOwn::MissingKey
    } else if name.contains("::de::FlatMapDeserializer<") {
        SerdesOwn::Flattened
    } else {
        SerdesOwn::Other
    }
}

/// The JSON Schema of a value that may be `null` (feature `schemars`): `T`'s schema, or `null`,
/// as `Field<T>` reads and writes it. In a patch, the field's absence is the key's absence,
/// which the schema of the patch object describes: no attribute of a patch is `required`.
#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Field<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Option<T> as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <Option<T> as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<Option<T>>()
    }
}
