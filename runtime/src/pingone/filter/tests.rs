//! The unit tests of `filter.rs`.

use super::*;

#[test]
fn filters_round_trip_whatever_their_values_hold() {
    let values = [
        "",
        "plain",
        r#"a"b"#,
        r"back\slash",
        r#"x" or username sw ""#,
        ") or (username sw \"",
        "and",
        "or",
        "tab\tnew\nline\u{1}",
        "ünï©ødé 🙂",
    ];
    for value in values {
        for attribute in UserAttribute::ALL {
            let single = UserFilter::sw(attribute, value);
            let combined = UserFilter::eq(attribute, value)
                .or(single.clone())
                .and(UserFilter::eq(UserAttribute::Email, value));
            for filter in [single, combined] {
                let text = filter.to_string();
                assert_eq!(text.parse::<UserFilter>().unwrap(), filter, "{text}");
            }
        }
    }
}

#[test]
fn and_binds_tighter_than_or_and_keywords_are_read_in_any_case() {
    let parsed: UserFilter = r#"username EQ "a" OR email sw "b" AND name.given eq "c""#
        .parse()
        .unwrap();
    let expected =
        UserFilter::eq(UserAttribute::Username, "a").or(UserFilter::sw(UserAttribute::Email, "b")
            .and(UserFilter::eq(UserAttribute::GivenName, "c")));
    assert_eq!(parsed, expected);
}

#[test]
fn unsupported_operators_attributes_and_syntax_are_told_apart() {
    for (text, expected) in [
        (
            r#"username ne "a""#,
            FilterError::UnsupportedOperator("ne".into()),
        ),
        (
            r#"email co "a""#,
            FilterError::UnsupportedOperator("co".into()),
        ),
        (
            r#"not (email eq "a")"#,
            FilterError::UnsupportedOperator("not".into()),
        ),
        ("email pr", FilterError::UnsupportedOperator("pr".into())),
        (
            r#"title eq "a""#,
            FilterError::UnsupportedAttribute("title".into()),
        ),
    ] {
        assert_eq!(text.parse::<UserFilter>().unwrap_err(), expected, "{text}");
    }
    for text in [
        "",
        "username",
        r#"username "a""#,
        "username eq",
        r#"username eq "a"#,
        r#"(username eq "a""#,
        r#"username eq "a" extra"#,
        r#"username eq a"#,
    ] {
        assert!(
            matches!(text.parse::<UserFilter>(), Err(FilterError::Syntax(_))),
            "{text}"
        );
    }
}

/// `depth` comparisons chained with `and`, built in code (left-deep, `depth` levels).
fn chain(depth: usize) -> UserFilter {
    (1..depth).fold(UserFilter::eq(UserAttribute::Username, "a"), |filter, _| {
        filter.and(UserFilter::eq(UserAttribute::Email, "b"))
    })
}

#[test]
fn deeply_nested_text_is_refused_not_a_stack_overflow() {
    // 1,000 parentheses overflowed the reader's stack and aborted the process.
    for opening in [MAX_FILTER_DEPTH, 1_000, 100_000] {
        let text = format!(
            "{}username eq \"a\"{}",
            "(".repeat(opening),
            ")".repeat(opening)
        );
        assert!(
            matches!(text.parse::<UserFilter>(), Err(FilterError::TooDeep { .. })),
            "{opening}"
        );
    }
    // So are unclosed ones, and a chain of `and`s deeper than the limit.
    assert!(matches!(
        "(".repeat(100_000).parse::<UserFilter>(),
        Err(FilterError::TooDeep { .. })
    ));
    let text = vec![r#"username eq "a""#; 100_000].join(" and ");
    assert!(matches!(
        text.parse::<UserFilter>(),
        Err(FilterError::TooDeep { .. })
    ));
    let error = chain(MAX_FILTER_DEPTH + 1)
        .to_string()
        .parse::<UserFilter>()
        .unwrap_err();
    assert!(
        error.to_string().contains("deeper than 32 levels"),
        "{error}"
    );
    // Up to the limit, filters read back, redundant parentheses included.
    let deepest = chain(MAX_FILTER_DEPTH);
    assert_eq!(deepest.depth(), MAX_FILTER_DEPTH);
    assert_eq!(deepest.to_string().parse::<UserFilter>().unwrap(), deepest);
    let text = vec![r#"username eq "a""#; MAX_FILTER_DEPTH].join(" OR ");
    assert_eq!(
        text.parse::<UserFilter>().unwrap().depth(),
        MAX_FILTER_DEPTH
    );
    let parenthesised = format!(
        "{}username eq \"a\"{}",
        "(".repeat(MAX_FILTER_DEPTH - 1),
        ")".repeat(MAX_FILTER_DEPTH - 1)
    );
    assert_eq!(
        parenthesised.parse::<UserFilter>().unwrap(),
        UserFilter::eq(UserAttribute::Username, "a")
    );
}

#[test]
fn a_chain_of_a_million_built_in_code_is_written_measured_and_dropped() {
    // Display and Drop recursed once per level and overflowed the stack.
    let deep = chain(1_000_000);
    assert_eq!(deep.depth(), 1_000_000);
    let text = deep.to_string();
    assert!(text.starts_with(&"(".repeat(999_999)), "{}", &text[..80]);
    assert!(text.ends_with(r#") and (email eq "b")"#));
    assert_eq!(text.matches(" and ").count(), 999_999);
    drop(deep);
    // Or and and nested the other way (right-deep) too.
    let right_deep = (1..1_000_000).fold(UserFilter::sw(UserAttribute::Email, "c"), |filter, _| {
        UserFilter::eq(UserAttribute::Username, "d").or(filter)
    });
    assert_eq!(right_deep.depth(), 1_000_000);
    assert!(right_deep.to_string().ends_with(&")".repeat(999_999)));
}
