//! `Deserializer` methods that hand their call on to another deserializer, written once for
//! the runtime's readers of JSON ([`boolean_strings`](crate::boolean_strings) and the SCIM
//! model's key and name readers).

/// Writes methods of a `Deserializer<'de>` implementation, each of which calls the method of
/// the same name on the deserializer that `$to` makes (an expression of `$self`, written
/// again for each method), with the same arguments and visitor:
/// `forward_reads!(self => self.0; deserialize_str, deserialize_tuple(len: usize))`.
///
/// `scalars`, first in the list, stands for the methods that take only a visitor and read a
/// scalar or a name: the integers, `f32`, `f64`, `char`, `str`, `string`, `bytes`,
/// `byte_buf`, `unit` and `identifier` (`bool` and `option` are each reader's own).
macro_rules! forward_reads {
    ($self:ident => $to:expr; scalars $(, $($rest:tt)*)?) => {
        $crate::forward_reads::forward_reads!($self => $to;
            deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64, deserialize_i128,
            deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128,
            deserialize_f32, deserialize_f64, deserialize_char, deserialize_str,
            deserialize_string, deserialize_bytes, deserialize_byte_buf, deserialize_unit,
            deserialize_identifier $(, $($rest)*)?
        );
    };
    ($self:ident => $to:expr; $($method:ident $(($($arg:ident: $type:ty),*))?),* $(,)?) => {
        $(
            fn $method<V: ::serde::de::Visitor<'de>>(
                $self,
                $($($arg: $type,)*)?
                visitor: V,
            ) -> Result<V::Value, Self::Error> {
                $to.$method($($($arg,)*)? visitor)
            }
        )*
    };
}

pub(crate) use forward_reads;
