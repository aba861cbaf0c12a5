//! [`UserFilter`]'s `Display`: the filter PingOne reads, written without recursion.

use core::fmt;

use super::{UserAttribute, UserFilter};

/// Writes the filter with a heap stack, not recursion, so any depth is written.
impl fmt::Display for UserFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        enum Step<'a> {
            Filter(&'a UserFilter),
            Text(&'static str),
        }
        let mut stack = vec![Step::Filter(self)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Text(text) => f.write_str(text)?,
                Step::Filter(UserFilter::Compare {
                    attribute,
                    operator,
                    value,
                }) => {
                    // `enabled`'s `true` or `false`, in any case: the boolean literal, in
                    // lower case (`eq(Enabled, "TRUE")` wrote the string `"TRUE"`, which
                    // the reader takes as the literal: review 37).
                    if *attribute == UserAttribute::Enabled {
                        let literal = ["true", "false"]
                            .into_iter()
                            .find(|literal| value.eq_ignore_ascii_case(literal));
                        if let Some(literal) = literal {
                            write!(f, "{} {} {literal}", attribute.path(), operator.as_str())?;
                            continue;
                        }
                    }
                    // A JSON string: `"` and `\` escaped, control characters as `\n` or
                    // `\u00XX`.
                    let quoted = serde_json::to_string(value).map_err(|_| fmt::Error)?;
                    if *attribute == UserAttribute::MemberOfGroupId {
                        write!(f, "memberOfGroups[id {} {quoted}]", operator.as_str())?;
                        continue;
                    }
                    write!(f, "{} {} {quoted}", attribute.path(), operator.as_str())?;
                }
                Step::Filter(UserFilter::And(left, right)) => {
                    // `(left) and (right)`, pushed in reverse.
                    stack.extend([
                        Step::Text(")"),
                        Step::Filter(right),
                        Step::Text(") and ("),
                        Step::Filter(left),
                        Step::Text("("),
                    ]);
                }
                Step::Filter(UserFilter::Or(left, right)) => {
                    stack.extend([
                        Step::Text(")"),
                        Step::Filter(right),
                        Step::Text(") or ("),
                        Step::Filter(left),
                        Step::Text("("),
                    ]);
                }
            }
        }
        Ok(())
    }
}
