//! "Read All Users": a page of the users that a filter matches, in ID order, with
//! `_links.next` while more match and `_links.prev` after the first page.
//!
//! Source: PingOne Platform API, "Paging and ordering collections"
//! (<https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-collections.html>)
//! and "SCIM filter language"
//! (<https://docs.pingidentity.com/pingone/directory/p1_scim_filter_language.html>).

use std::ops::Bound;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::errors::json_response;
use super::parsing::form_decode;
use super::state::{Mutable, Shared};
use crate::pingone::{ErrorDetail, Operator, UserAttribute, UserFilter};
use crate::scim::equal_in_any_case;

/// The answer to an operator other than `eq`, `sw` and `ew` (PingOne also has `co` on a few
/// attributes: see
/// [`FilterError::UnsupportedOperator`](crate::pingone::FilterError::UnsupportedOperator)),
/// `ew` on an attribute but `email`, `name.family` and `name.given`, or any other filter it
/// cannot read:
/// 400 `INVALID_REQUEST` with an `INVALID_PARAMETER` detail on `filter`. *Unverified*: no
/// public page shows PingOne's exact body for this case; the status and the code are those
/// the reference lists for a bad request parameter.
const BAD_PARAMETER: (&str, &str) = ("INVALID_REQUEST", "INVALID_PARAMETER");

/// Answers one page for the raw query string `query` (`filter`, `limit`, `cursor`; names and
/// values are `application/x-www-form-urlencoded`, so `limit=%32` is `limit=2`; other
/// parameters are ignored), its links under the API base URL `base`
/// ([`Shared::links_base`]).
///
/// One of the three given twice (`limit=1&limit=500`, `limit` and `%6Cimit`) is 400
/// `INVALID_PARAMETER` on it, as a bad value is. Before, the last one counted, where a Java
/// servlet stack reads the first (`getParameter`) and Spring joins two strings with a comma:
/// the same request got other pages, or a 400, from a server. *Unverified*: which PingOne
/// does; a client that repeats one has a bug either way.
pub(super) fn page(shared: &Shared, base: &str, query: &str) -> Response {
    // `filter`, `limit` and `cursor`, as they came.
    const NAMES: [&str; 3] = ["filter", "limit", "cursor"];
    let mut given = [None::<&str>; 3];
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = form_decode(key);
        let Some(index) = NAMES.iter().position(|known| *known == name) else {
            continue;
        };
        if given[index].replace(value).is_some() {
            let name = NAMES[index];
            return bad_parameter(
                shared,
                name,
                &format_args!("the parameter {name} is given more than once"),
            );
        }
    }
    let [raw_filter, limit, cursor] = given;
    let (limit, cursor) = (limit.map(form_decode), cursor.map(form_decode));
    let filter = match raw_filter.map(|raw| form_decode(raw).parse::<UserFilter>()) {
        None => None,
        Some(Ok(filter)) => Some(filter),
        Some(Err(error)) => return bad_parameter(shared, "filter", &error),
    };
    let limit = match limit.as_deref().map(str::parse::<usize>) {
        None => shared.max_page_size,
        Some(Ok(limit)) if limit >= 1 => limit,
        Some(_) => {
            return bad_parameter(shared, "limit", &"the limit must be a positive integer");
        }
    };
    let size = limit.min(shared.max_page_size);

    let state = shared.lock();
    let Selected {
        count,
        page,
        more,
        previous,
    } = select(&state, filter.as_ref(), cursor.as_deref(), size);

    let list = format!("{base}/environments/{}/users", shared.environment_id);
    let mut links = Map::new();
    let self_href = if query.is_empty() {
        list.clone()
    } else {
        format!("{list}?{query}")
    };
    links.insert("self".into(), json!({ "href": self_href }));
    // A page of the same filter and limit, after `cursor` (from the first match without one).
    let page_href = |cursor: Option<&str>| {
        let mut href = format!("{list}?");
        if let Some(raw) = raw_filter {
            href.push_str("filter=");
            href.push_str(raw);
            href.push('&');
        }
        href.push_str(&format!("limit={limit}"));
        if let Some(cursor) = cursor {
            href.push_str(&format!("&cursor={cursor}"));
        }
        href
    };
    if more && let Some((last, _)) = page.last() {
        links.insert("next".into(), json!({ "href": page_href(Some(last)) }));
    }
    if let Some(previous) = previous {
        links.insert("prev".into(), json!({ "href": page_href(previous) }));
    }
    let users: Vec<Value> = page
        .iter()
        .map(|(id, user)| shared.render(base, id, user))
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

/// The users of one page, and how many match in all.
struct Selected<'a> {
    /// The users that match, whatever the cursor: the answer's `count`.
    count: usize,
    /// The page: at most `size` matches after the cursor, in ID order.
    page: Vec<(&'a String, &'a Map<String, Value>)>,
    /// Whether more matches follow the page.
    more: bool,
    /// The cursor of the page before this one (`Some(None)`: the first page, which has no
    /// cursor), when matches precede this page: the `size` matches up to the cursor are that
    /// page, and the match before them its cursor.
    previous: Option<Option<&'a str>>,
}

/// Remembers the last `size + 1` matches up to a page's cursor, in ID order, to find the page
/// before it (PingOne's `prev` link: "If there are previous pages of results available, the
/// response includes a `prev` link", "Paging, ordering, and filtering collections",
/// <https://developer.pingidentity.com/pingone-api/platform/reference/paging-ordering-filtering-collections.html>).
struct Earlier<'a> {
    size: usize,
    ids: std::collections::VecDeque<&'a str>,
}

impl<'a> Earlier<'a> {
    fn new(size: usize) -> Self {
        Earlier {
            size,
            ids: std::collections::VecDeque::new(),
        }
    }

    /// Keeps `id`, a match at or before the cursor, later than those kept before.
    fn push(&mut self, id: &'a str) {
        if self.ids.len() > self.size {
            self.ids.pop_front();
        }
        self.ids.push_back(id);
    }

    /// The previous page's cursor: none without earlier matches; the first page (no cursor)
    /// when at most `size` of them; else the match before the last `size`.
    fn previous(&self) -> Option<Option<&'a str>> {
        match self.ids.len() {
            0 => None,
            kept if kept <= self.size => Some(None),
            _ => Some(self.ids.front().copied()),
        }
    }
}

/// Selects the page of at most `size` users that `filter` matches after the ID `after`.
fn select<'a>(
    state: &'a Mutable,
    filter: Option<&UserFilter>,
    after: Option<&str>,
    size: usize,
) -> Selected<'a> {
    let mut page: Vec<(&String, &Map<String, Value>)> = Vec::new();
    let mut more = false;
    let mut earlier = Earlier::new(size);
    let count = match filter {
        // No filter: every user counts, and the page starts right after the cursor in the
        // ID order, found in the map, not by a walk from the first user (which made
        // listing every user quadratic: one walk over all of them per page).
        None => {
            let from = after.map_or(Bound::Unbounded, Bound::Excluded);
            if let Some(after) = after {
                // At most `size + 1` users back from the cursor, kept in ID order.
                let back: Vec<&String> = state
                    .users
                    .range::<str, _>((Bound::Unbounded, Bound::Included(after)))
                    .rev()
                    .take(size.saturating_add(1))
                    .map(|(id, _)| id)
                    .collect();
                for id in back.into_iter().rev() {
                    earlier.push(id);
                }
            }
            for (id, user) in state.users.range::<str, _>((from, Bound::Unbounded)) {
                if page.len() < size {
                    page.push((id, user));
                } else {
                    more = true;
                    break;
                }
            }
            state.users.len()
        }
        Some(filter) => {
            // One pass over the candidates: every match counts for `count`; those after the
            // cursor fill the page, and one more says whether there is a next page.
            // `username eq` and `email eq` read the index; other filters check every user,
            // on every page, to count its matches.
            let indexed = match filter {
                UserFilter::Compare {
                    attribute,
                    operator: Operator::Equal,
                    value,
                } => state.indexed(attribute.path(), value),
                _ => None,
            };
            let candidates: Box<dyn Iterator<Item = (&String, &Map<String, Value>)>> = match indexed
            {
                Some(ids) => Box::new(
                    ids.into_iter()
                        .filter_map(|id| state.users.get_key_value(id)),
                ),
                None => Box::new(state.users.iter()),
            };
            let mut count = 0;
            for (id, user) in candidates {
                if !matches(filter, user) {
                    continue;
                }
                count += 1;
                if after.is_some_and(|after| id.as_str() <= after) {
                    earlier.push(id);
                    continue;
                }
                if page.len() < size {
                    page.push((id, user));
                } else {
                    more = true;
                }
            }
            count
        }
    };
    Selected {
        count,
        page,
        more,
        previous: earlier.previous(),
    }
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
/// usernames and emails; a boolean (`enabled`) as its text, `true` or `false`; a missing
/// attribute, or one of another type, matches nothing.
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
            if *attribute == UserAttribute::MemberOfGroupId {
                // `memberOfGroups[id eq "…"]`: one of the user's group IDs.
                return user
                    .get("memberOfGroupIDs")
                    .and_then(Value::as_array)
                    .is_some_and(|ids| {
                        ids.iter()
                            .filter_map(Value::as_str)
                            .any(|id| compares(*operator, id, value))
                    });
            }
            let mut parts = attribute.path().split('.');
            let first = parts.next().and_then(|name| user.get(name));
            let found = parts.fold(first, |value, name| value.and_then(|v| v.get(name)));
            // `enabled` is a boolean, compared as its text `true` or `false` (either form of
            // the filter's value reads so: `enabled eq false`, `enabled eq "false"`).
            let held = match found {
                Some(Value::String(held)) => held.as_str(),
                Some(Value::Bool(true)) => "true",
                Some(Value::Bool(false)) => "false",
                _ => return false,
            };
            compares(*operator, held, value)
        }
        UserFilter::And(left, right) => matches(left, user) && matches(right, user),
        UserFilter::Or(left, right) => matches(left, user) || matches(right, user),
    }
}

/// Whether `held` compares with `value` by `operator`, in any case.
fn compares(operator: Operator, held: &str, value: &str) -> bool {
    match operator {
        Operator::Equal => equal_in_any_case(held, value),
        Operator::StartsWith => starts_with_in_any_case(held, value),
        Operator::EndsWith => ends_with_in_any_case(held, value),
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

/// `text` ends with `suffix` in any case (as [`equal_in_any_case`]).
fn ends_with_in_any_case(text: &str, suffix: &str) -> bool {
    if text.is_ascii() && suffix.is_ascii() {
        text.len() >= suffix.len()
            && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    } else {
        text.to_lowercase().ends_with(&suffix.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu_time::cpu_time;

    /// Every page of the list, following `_links.next` from `query`: the users listed.
    async fn list_all(shared: &Shared, query: &str) -> usize {
        let mut query = query.to_owned();
        let mut listed = 0;
        loop {
            let response = page(shared, &shared.base, &query);
            assert_eq!(response.status(), StatusCode::OK);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap();
            listed += body["_embedded"]["users"].as_array().unwrap().len();
            match body["_links"]["next"]["href"].as_str() {
                Some(next) => query = next.split_once('?').unwrap().1.to_owned(),
                None => return listed,
            }
        }
    }

    #[tokio::test]
    async fn listing_every_user_takes_time_linear_in_the_users() {
        // Each page walked the users from the first one to reach its cursor: listing all of
        // 100,000 users in pages of 100 walked 100 million of them. Timed against one walk
        // over every user, a linear baseline.
        let emulator = super::super::Emulator::builder()
            .no_users()
            .record_requests(false)
            .max_page_size(100)
            .start()
            .unwrap();
        let shared = &*emulator.shared;
        let users = 100_000;
        {
            let mut state = shared.lock();
            for n in 0..users {
                let id = format!("5f2c1a3e-0000-4000-8000-{n:012}");
                let user = json!({"username": format!("user{n}")});
                state.put_user(id, user.as_object().unwrap().clone());
            }
        }
        {
            let state = shared.lock();
            // CPU time, not wall-clock time: on a loaded machine a thread that waits for a
            // core during one of the two measures only makes that one look slow.
            let (baseline, walked) = cpu_time(|| {
                state
                    .users
                    .iter()
                    .filter(|(id, user)| std::hint::black_box(id.len() + user.len()) > 0)
                    .count()
            });
            assert_eq!(walked, users);

            let (elapsed, listed) = cpu_time(|| {
                let (mut listed, mut after) = (0, None::<String>);
                loop {
                    let selected = select(&state, None, after.as_deref(), 100);
                    assert_eq!(selected.count, users);
                    listed += selected.page.len();
                    if !selected.more {
                        break listed;
                    }
                    after = selected.page.last().map(|(id, _)| (*id).clone());
                }
            });
            assert_eq!(listed, users);
            assert!(
                elapsed < baseline * 20 + std::time::Duration::from_millis(50),
                "listing {users} users in pages of 100: {elapsed:?}; one walk over them: {baseline:?}"
            );
        }

        // The pages of a query, with a filter that reads the index, and one that checks
        // every user (`user99`, `user990` to `user999`, `user9900` to `user9999`, ...).
        assert_eq!(
            list_all(shared, "filter=username%20eq%20%22user7%22").await,
            1
        );
        assert_eq!(
            list_all(shared, "filter=username%20sw%20%22user99%22&limit=100").await,
            1_111
        );
    }

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
                assert_eq!(
                    ends_with_in_any_case(a, b),
                    a.to_lowercase().ends_with(&b.to_lowercase()),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
