//! The one place request tags are issued and results accepted or dropped.
//!
//! Every command that reads AWS carries the session's generation and a
//! request number; its result comes back with both. A result is taken
//! only if its generation is the current one and, for a kind of work that
//! can be asked again (a catalog scan, the events of a stack, a form's
//! reads, the fleet, a bulk plan), it answers the last request of that
//! kind: an older answer is stale and dropped.

use super::Generation;

/// A kind of work of which only the last request counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Catalog,
    Events,
    Prepare,
    Fleet,
    Bulk,
    /// A new catalog applied and its rows built off the input path.
    Rows,
    /// The hygiene findings (`:xray`).
    Lint,
    /// The organization's OU tree (`:matrix` by OU).
    OuTree,
}

const KINDS: usize = 8;

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Catalog => 0,
            Kind::Events => 1,
            Kind::Prepare => 2,
            Kind::Fleet => 3,
            Kind::Bulk => 4,
            Kind::Rows => 5,
            Kind::Lint => 6,
            Kind::OuTree => 7,
        }
    }
}

/// The tags in flight: the session's generation and the last request of
/// each kind.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    generation: Generation,
    next: u64,
    pending: [Option<u64>; KINDS],
}

impl Requests {
    /// The current session's generation.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// A new session: a new generation, and nothing of the old one is
    /// waited for any more.
    pub fn new_generation(&mut self) -> Generation {
        self.generation += 1;
        self.pending = [None; KINDS];
        self.generation
    }

    /// A new request of `kind`, the only one of its kind now awaited.
    pub fn issue(&mut self, kind: Kind) -> u64 {
        let request = self.issue_untracked();
        self.pending[kind.index()] = Some(request);
        request
    }

    /// A request number for work followed by its own tag, not by kind
    /// (an action, a bulk run: they run across sessions).
    pub fn issue_untracked(&mut self) -> u64 {
        self.next += 1;
        self.next
    }

    /// Whether a result of the session `generation` is current.
    pub fn current(&self, generation: Generation) -> bool {
        generation == self.generation
    }

    /// Whether a result of `kind` tagged so answers the last request.
    pub fn accepts(&self, kind: Kind, generation: Generation, request: u64) -> bool {
        self.current(generation) && self.pending[kind.index()] == Some(request)
    }

    /// The last request of `kind` was answered (or is given up): nothing
    /// of that kind is awaited.
    pub fn settle(&mut self, kind: Kind) {
        self.pending[kind.index()] = None;
    }

    /// Whether a request of `kind` is awaited.
    pub fn awaits(&self, kind: Kind) -> bool {
        self.pending[kind.index()].is_some()
    }

    /// Whether any request is awaited.
    pub fn any(&self) -> bool {
        self.pending.iter().any(Option::is_some)
    }

    /// The request of `kind` awaited, if any.
    pub fn awaited(&self, kind: Kind) -> Option<u64> {
        self.pending[kind.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_request_of_a_kind_of_the_current_session_is_taken() {
        let mut r = Requests::default();
        let g = r.new_generation();
        let first = r.issue(Kind::Catalog);
        let second = r.issue(Kind::Catalog);
        assert!(
            !r.accepts(Kind::Catalog, g, first),
            "an older request is stale"
        );
        assert!(r.accepts(Kind::Catalog, g, second));
        assert!(!r.accepts(Kind::Events, g, second), "kinds are apart");
        let events = r.issue(Kind::Events);
        assert!(
            r.accepts(Kind::Catalog, g, second),
            "another kind leaves it"
        );
        r.settle(Kind::Catalog);
        assert!(!r.accepts(Kind::Catalog, g, second), "answered once");
        assert!(r.awaits(Kind::Events) && r.any());
        let next = r.new_generation();
        assert!(
            !r.accepts(Kind::Events, next, events),
            "a new session forgets"
        );
        assert!(!r.accepts(Kind::Events, g, events));
        assert!(!r.any() && !r.current(g) && r.current(next));
        assert!(r.issue_untracked() > events, "numbers never repeat");
    }
}
