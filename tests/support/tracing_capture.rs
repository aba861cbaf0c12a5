//! A `tracing` subscriber that writes every span, recorded value and event as a line of text,
//! for the tests of what the client logs (`tests/pingone_tracing.rs`,
//! `tests/pingone_operator_logs.rs`).
#![allow(dead_code)]

/// A subscriber that writes every span, recorded value and event as a line of text: `span#N
/// name fields`, `record#N fields`, and `event LEVEL in=#A>#B fields`, with the spans the
/// event happened in, outermost first.
#[derive(Clone, Default)]
pub struct Capture {
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    next_id: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

std::thread_local! {
    /// The spans entered on this thread, innermost last (the tests run on one thread).
    static ENTERED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
}

impl Capture {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
    pub fn text(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
    /// The span line of span `#id` with what was recorded on it afterwards:
    /// `span#N name fields | recorded fields`.
    pub fn span(&self, id: &str) -> String {
        let lines = self.text();
        let opened = lines
            .iter()
            .find(|line| line.split_whitespace().next() == Some(&format!("span#{id}")))
            .cloned()
            .unwrap_or_default();
        let recorded: Vec<&str> = lines
            .iter()
            .filter_map(|other| other.strip_prefix(&format!("record#{id} ")))
            .collect();
        format!("{opened} | {}", recorded.join(" "))
    }
    /// Each span named `name` as [`span`](Capture::span) gives it, in the order they opened.
    pub fn spans(&self, name: &str) -> Vec<String> {
        self.text()
            .iter()
            .filter(|line| line.starts_with("span#") && line.contains(&format!(" {name} ")))
            .map(|line| {
                let id = line.split_whitespace().next().unwrap_or_default();
                self.span(id.trim_start_matches("span#"))
            })
            .collect()
    }
    /// The events whose text holds `text`, each with the spans it happened in, innermost
    /// first, as [`span`](Capture::span) gives them.
    pub fn events_with(&self, text: &str) -> Vec<(String, Vec<String>)> {
        self.text()
            .into_iter()
            .filter(|line| line.starts_with("event ") && line.contains(text))
            .map(|line| {
                let within = line
                    .split_whitespace()
                    .find_map(|word| word.strip_prefix("in="))
                    .unwrap_or_default()
                    .split('>')
                    .filter(|id| !id.is_empty())
                    .rev()
                    .map(|id| self.span(id.trim_start_matches('#')))
                    .collect();
                (line, within)
            })
            .collect()
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = 1 + self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut fields = FieldText(String::new());
        span.record(&mut fields);
        self.push(format!(
            "span#{id} {} {}{}",
            span.metadata().name(),
            span.metadata().level(),
            fields.0
        ));
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = FieldText(String::new());
        values.record(&mut fields);
        self.push(format!("record#{}{}", span.into_u64(), fields.0));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = FieldText(String::new());
        event.record(&mut fields);
        let within: Vec<String> =
            ENTERED.with(|entered| entered.borrow().iter().map(|id| format!("#{id}")).collect());
        self.push(format!(
            "event {} in={}{}",
            event.metadata().level(),
            within.join(">"),
            fields.0
        ));
    }
    fn enter(&self, span: &tracing::span::Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.into_u64()));
    }
    fn exit(&self, span: &tracing::span::Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|id| *id == span.into_u64()) {
                entered.remove(at);
            }
        });
    }
}

/// Sets `capture` as this thread's subscriber, with every callsite's interest computed anew.
///
/// While one dispatcher alone is registered, tracing-core (0.1.36, `Dispatchers::rebuilder`'s
/// `JustOne`) computes a callsite's interest from the subscriber of the thread that first
/// reaches it: a callsite that another test of this program (a thread without a subscriber)
/// reaches first is "never" for good, and this thread's capture misses its events (seen: the
/// rate limiter's wait events in tests/pingone_cancellation.rs, missed in 4 runs of 6 beside
/// the other test of that file). A second dispatcher, kept for the program's life, makes
/// tracing-core ask every registered subscriber instead, this one among them.
pub fn capturing(capture: &Capture) -> tracing::subscriber::DefaultGuard {
    static SECOND_DISPATCHER: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
    SECOND_DISPATCHER
        .get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
    let guard = tracing::subscriber::set_default(capture.clone());
    // Other tests of this program run at the same time with their own subscriber; a callsite
    // registered while this one is being set can keep an interest of "never" (a race seen
    // once on a loaded machine). Recompute every callsite's interest now that it is set.
    tracing::callsite::rebuild_interest_cache();
    guard
}

/// The value of the field `name` in a line of [`Capture`]'s text (`name=value`, up to the next
/// space), if it has one.
pub fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(name)?.strip_prefix('='))
}
