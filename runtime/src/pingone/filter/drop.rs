//! [`UserFilter`]'s `Drop`: a deep filter freed without recursion.

use super::{Operator, UserAttribute, UserFilter};

/// Frees the filter with a heap stack instead of one stack frame per level, so a deep chain
/// built in code cannot overflow the stack when it is dropped.
impl Drop for UserFilter {
    fn drop(&mut self) {
        let mut stack = Vec::new();
        take_children(self, &mut stack);
        while let Some(mut filter) = stack.pop() {
            // `filter`'s children move to the stack; it then drops with none.
            take_children(&mut filter, &mut stack);
        }
    }
}

/// Moves the two sides of an `and` or `or` to `stack`, leaving `filter` a leaf with nothing
/// allocated.
fn take_children(filter: &mut UserFilter, stack: &mut Vec<UserFilter>) {
    if let UserFilter::And(left, right) | UserFilter::Or(left, right) = filter {
        for side in [left, right] {
            stack.push(core::mem::replace(&mut **side, leaf()));
        }
    }
}

/// A comparison that allocates nothing.
fn leaf() -> UserFilter {
    UserFilter::Compare {
        attribute: UserAttribute::Username,
        operator: Operator::Equal,
        value: String::new(),
    }
}
