//! "Read All Users": a page of the users that a filter matches, in ID order, with
//! `_links.next` while more match.
//!
//! Source: PingOne Platform API, "Paging and ordering collections"
//! (<https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html>)
//! and "SCIM filter language"
//! (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::errors::json_response;
use super::parsing::form_decode;
use super::state::Shared;
use crate::pingone::{ErrorDetail, Operator, UserFilter};

/// The answer to an operator PingOne does not support, or any other filter it cannot read:
/// 400 `INVALID_REQUEST` with an `INVALID_PARAMETER` detail on `filter`. *Unverified*: no
/// public page shows PingOne's exact body for this case; the status and the code are those
/// the reference lists for a bad request parameter.
const BAD_PARAMETER: (&str, &str) = ("INVALID_REQUEST", "INVALID_PARAMETER");

/// Answers one page for the raw query string `query` (`filter`, `limit`, `cursor`).
pub(super) fn page(shared: &Shared, query: &str) -> Response {
    let mut raw_filter = None;
    let mut limit = None;
    let mut cursor = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "filter" => raw_filter = Some(value),
            "limit" => limit = Some(value),
            "cursor" => cursor = Some(form_decode(value)),
            _ => {}
        }
    }
    let filter = match raw_filter.map(|raw| form_decode(raw).parse::<UserFilter>()) {
        None => None,
        Some(Ok(filter)) => Some(filter),
        Some(Err(error)) => return bad_parameter(shared, "filter", &error),
    };
    let limit = match limit.map(str::parse::<usize>) {
        None => shared.max_page_size,
        Some(Ok(limit)) if limit >= 1 => limit,
        Some(_) => {
            return bad_parameter(shared, "limit", &"the limit must be a positive integer");
        }
    };
    let size = limit.min(shared.max_page_size);

    let state = shared.lock();
    // One pass over the users: every match counts for `count`; those after the cursor fill
    // the page, and one more says whether there is a next page.
    let after = cursor.as_deref();
    let mut count = 0;
    let mut page: Vec<(&String, &Map<String, Value>)> = Vec::new();
    let mut more = false;
    // `username eq` and `email eq` read the index; other filters scan every user.
    let indexed = match &filter {
        Some(UserFilter::Compare {
            attribute,
            operator: Operator::Equal,
            value,
        }) => state.indexed(attribute.path(), value),
        _ => None,
    };
    let candidates: Box<dyn Iterator<Item = (&String, &Map<String, Value>)>> = match indexed {
        Some(ids) => Box::new(
            ids.into_iter()
                .filter_map(|id| state.users.get_key_value(id)),
        ),
        None => Box::new(state.users.iter()),
    };
    for (id, user) in candidates {
        if !filter.as_ref().is_none_or(|filter| matches(filter, user)) {
            continue;
        }
        count += 1;
        if after.is_some_and(|after| id.as_str() <= after) {
            continue;
        }
        if page.len() < size {
            page.push((id, user));
        } else {
            more = true;
        }
    }

    let list = format!(
        "{}/environments/{}/users",
        shared.base, shared.environment_id
    );
    let mut links = Map::new();
    let self_href = if query.is_empty() {
        list.clone()
    } else {
        format!("{list}?{query}")
    };
    links.insert("self".into(), json!({ "href": self_href }));
    if more && let Some((last, _)) = page.last() {
        let mut next = format!("{list}?");
        if let Some(raw) = raw_filter {
            next.push_str("filter=");
            next.push_str(raw);
            next.push('&');
        }
        next.push_str(&format!("limit={limit}&cursor={last}"));
        links.insert("next".into(), json!({ "href": next }));
    }
    let users: Vec<Value> = page
        .iter()
        .map(|(id, user)| shared.render(id, user))
        .collect();
    let body = json!({
        "_links": links,
        "_embedded": { "users": users },
        "count": count,
        "size": users.len(),
    });
    drop(state);
    json_response(StatusCode::OK, &body)
}

fn bad_parameter(shared: &Shared, target: &str, error: &dyn std::fmt::Display) -> Response {
    let (code, detail) = BAD_PARAMETER;
    let message = match target {
        "filter" => "The request could not be completed. The filter is not supported.",
        _ => "The request could not be completed. A query parameter is invalid.",
    };
    shared.error(
        StatusCode::BAD_REQUEST,
        code,
        message,
        vec![ErrorDetail::new(detail, Some(target), error.to_string())],
    )
}

/// Whether `user` matches `filter`. Values are compared in any case, as PingOne compares
/// usernames and emails; a missing or non-string attribute matches nothing.
///
/// It recurses once per level, which is bounded: every filter here was read from a query
/// string, and the reader refuses one deeper than [`MAX_FILTER_DEPTH`](crate::pingone::MAX_FILTER_DEPTH)
/// (400, see [`page`]).
fn matches(filter: &UserFilter, user: &Map<String, Value>) -> bool {
    match filter {
        UserFilter::Compare {
            attribute,
            operator,
            value,
        } => {
            let mut parts = attribute.path().split('.');
            let first = parts.next().and_then(|name| user.get(name));
            let found = parts.fold(first, |value, name| value.and_then(|v| v.get(name)));
            let Some(Value::String(held)) = found else {
                return false;
            };
            match operator {
                Operator::Equal => equal_in_any_case(held, value),
                Operator::StartsWith => starts_with_in_any_case(held, value),
            }
        }
        UserFilter::And(left, right) => matches(left, user) && matches(right, user),
        UserFilter::Or(left, right) => matches(left, user) || matches(right, user),
    }
}

/// `a` and `b` are equal in any case (Unicode lower case; ASCII compared without allocating):
/// how SCIM filters compare strings (RFC 7644 §3.4.2.2; no PingOne attribute is `caseExact`),
/// here and in PATCH paths ([`scim`](super::scim)).
pub(super) fn equal_in_any_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// `text` starts with `prefix` in any case (as [`equal_in_any_case`]).
fn starts_with_in_any_case(text: &str, prefix: &str) -> bool {
    if text.is_ascii() && prefix.is_ascii() {
        text.len() >= prefix.len()
            && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        text.to_lowercase().starts_with(&prefix.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast ASCII paths agree with comparing Unicode lower case.
    #[test]
    fn comparisons_in_any_case_agree_with_lowercasing() {
        let words = [
            "", "a", "A", "ab", "AB", "aB", "abc", "ÄB", "äb", "äB", "straße", "STRASSE", "İ", "i̇",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    equal_in_any_case(a, b),
                    a.to_lowercase() == b.to_lowercase(),
                    "{a:?} {b:?}"
                );
                assert_eq!(
                    starts_with_in_any_case(a, b),
                    a.to_lowercase().starts_with(&b.to_lowercase()),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
