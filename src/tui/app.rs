//! The console's state and its transitions: `update(Msg) → Vec<Command>`.
//! No I/O and no `.await` here; `run.rs` executes the commands.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::model::{CallerIdentity, Portfolio};

/// Bumped on every profile or region switch; results of older
/// generations are dropped.
pub type Generation = u64;

/// Where the current session's calls go, once connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub profile: String,
    pub region: String,
    /// A custom endpoint (the sandbox, LocalStack…), if any.
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    ScrollUp,
    ScrollDown,
    Tick,
    Resize,
    Connected {
        generation: Generation,
        connection: Connection,
        identity: CallerIdentity,
    },
    ConnectFailed {
        generation: Generation,
        error: String,
    },
    PortfoliosLoaded {
        generation: Generation,
        request: u64,
        result: Result<Vec<Portfolio>, String>,
    },
}

/// Work for `run.rs`; each result comes back as a [`Msg`] with the same tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Connect {
        generation: Generation,
        profile: String,
        region: Option<String>,
    },
    LoadPortfolios {
        generation: Generation,
        request: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Busy,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing after `:`.
    Command(String),
}

#[derive(Debug, Clone)]
pub struct State {
    pub read_only: bool,
    /// The profile and region asked for (the region may be left to the profile).
    pub profile: String,
    pub region: Option<String>,
    pub generation: Generation,
    pub connection: Option<Connection>,
    pub identity: Option<CallerIdentity>,
    pub portfolios: Vec<Portfolio>,
    pub selected: usize,
    pub status: Status,
    pub mode: Mode,
    /// Spinner frame, advanced by ticks while busy.
    pub spinner: usize,
    /// Rows a page key moves; set by the view after drawing.
    pub page_rows: usize,
    connecting: bool,
    pending_load: Option<u64>,
    next_request: u64,
    quit: bool,
}

impl State {
    pub fn new(profile: impl Into<String>, region: Option<String>, read_only: bool) -> Self {
        Self {
            read_only,
            profile: profile.into(),
            region,
            generation: 0,
            connection: None,
            identity: None,
            portfolios: Vec::new(),
            selected: 0,
            status: Status {
                kind: StatusKind::Info,
                text: String::new(),
            },
            mode: Mode::Normal,
            spinner: 0,
            page_rows: 10,
            connecting: false,
            pending_load: None,
            next_request: 0,
            quit: false,
        }
    }

    /// The first commands: connect to the profile given to [`State::new`].
    pub fn start(&mut self) -> Vec<Command> {
        let (profile, region) = (self.profile.clone(), self.region.clone());
        self.switch_to(profile, region)
    }

    /// Opens another profile and/or region: a new generation.
    pub fn switch_to(&mut self, profile: String, region: Option<String>) -> Vec<Command> {
        self.generation += 1;
        self.status = busy(format!("Connecting to profile {profile}…"));
        self.profile = profile.clone();
        self.region = region.clone();
        self.connection = None;
        self.identity = None;
        self.portfolios.clear();
        self.selected = 0;
        self.connecting = true;
        self.pending_load = None;
        vec![Command::Connect {
            generation: self.generation,
            profile,
            region,
        }]
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Work in flight (the spinner turns).
    pub fn is_busy(&self) -> bool {
        self.connecting || self.pending_load.is_some()
    }

    pub fn selected_portfolio(&self) -> Option<&Portfolio> {
        self.portfolios.get(self.selected)
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Command> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::ScrollUp => {
                self.move_by(-3);
                vec![]
            }
            Msg::ScrollDown => {
                self.move_by(3);
                vec![]
            }
            Msg::Tick => {
                if self.is_busy() {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                vec![]
            }
            Msg::Resize => vec![],
            Msg::Connected {
                generation,
                connection,
                identity,
            } => {
                if generation != self.generation {
                    return vec![];
                }
                self.connecting = false;
                self.region = Some(connection.region.clone());
                self.connection = Some(connection);
                self.identity = Some(identity);
                self.load_portfolios()
            }
            Msg::ConnectFailed { generation, error } => {
                if generation != self.generation {
                    return vec![];
                }
                self.connecting = false;
                self.status = error_status(error);
                vec![]
            }
            Msg::PortfoliosLoaded {
                generation,
                request,
                result,
            } => {
                if generation != self.generation || self.pending_load != Some(request) {
                    return vec![];
                }
                self.pending_load = None;
                match result {
                    Ok(portfolios) => {
                        self.status = info(summary(&portfolios));
                        self.portfolios = portfolios;
                        self.clamp_selection();
                    }
                    Err(error) => self.status = error_status(error),
                }
                vec![]
            }
        }
    }

    fn load_portfolios(&mut self) -> Vec<Command> {
        self.next_request += 1;
        self.pending_load = Some(self.next_request);
        self.status = busy(format!("Loading portfolios of {}…", self.profile));
        vec![Command::LoadPortfolios {
            generation: self.generation,
            request: self.next_request,
        }]
    }

    /// `R`: reload, or reconnect if the connection failed.
    fn refresh(&mut self) -> Vec<Command> {
        if self.connecting {
            return vec![];
        }
        if self.connection.is_none() {
            return self.start();
        }
        self.load_portfolios()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return vec![];
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return vec![];
        }
        if let Mode::Command(line) = &mut self.mode {
            match key.code {
                KeyCode::Esc => self.mode = Mode::Normal,
                KeyCode::Enter => {
                    let line = std::mem::take(line);
                    self.mode = Mode::Normal;
                    return self.run_command_line(&line);
                }
                KeyCode::Backspace if line.pop().is_none() => self.mode = Mode::Normal,
                KeyCode::Char(c) => line.push(c),
                _ => {}
            }
            return vec![];
        }
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::Char('g') | KeyCode::Home => self.selected = 0,
            KeyCode::Char('G') | KeyCode::End => {
                self.selected = self.portfolios.len().saturating_sub(1)
            }
            KeyCode::PageDown => self.move_by(self.page_rows.max(1) as isize),
            KeyCode::PageUp => self.move_by(-(self.page_rows.max(1) as isize)),
            KeyCode::Char('R') => return self.refresh(),
            KeyCode::Char(':') => self.mode = Mode::Command(String::new()),
            _ => {}
        }
        vec![]
    }

    /// `:q`, `:profile NAME`, `:region NAME`.
    fn run_command_line(&mut self, line: &str) -> Vec<Command> {
        let mut words = line.split_whitespace();
        let (verb, arg) = (words.next().unwrap_or(""), words.next());
        match (verb, arg) {
            ("", _) => vec![],
            ("q" | "quit" | "q!", _) => {
                self.quit = true;
                vec![]
            }
            ("profile", Some(name)) => self.switch_to(name.to_string(), None),
            ("region", Some(name)) => self.switch_to(self.profile.clone(), Some(name.to_string())),
            ("profile" | "region", None) => {
                self.status = error_status(format!(":{verb} needs a name, e.g. :{verb} NAME"));
                vec![]
            }
            _ => {
                self.status = error_status(format!(
                    "unknown command :{verb} — try :profile NAME, :region NAME or :q"
                ));
                vec![]
            }
        }
    }

    fn move_by(&mut self, delta: isize) {
        let last = self.portfolios.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    fn clamp_selection(&mut self) {
        self.selected = self.selected.min(self.portfolios.len().saturating_sub(1));
    }
}

fn summary(portfolios: &[Portfolio]) -> String {
    let local = portfolios.iter().filter(|p| p.origin.is_local()).count();
    let imported = portfolios.len() - local;
    let noun = if portfolios.len() == 1 {
        "portfolio"
    } else {
        "portfolios"
    };
    format!(
        "{} {noun} ({local} local, {imported} imported)",
        portfolios.len()
    )
}

fn busy(text: String) -> Status {
    Status {
        kind: StatusKind::Busy,
        text,
    }
}

fn info(text: String) -> Status {
    Status {
        kind: StatusKind::Info,
        text,
    }
}

fn error_status(text: String) -> Status {
    Status {
        kind: StatusKind::Error,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, ShareType};

    fn key(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn portfolio(id: &str, origin: Origin) -> Portfolio {
        Portfolio {
            id: id.into(),
            arn: format!("arn:aws:catalog:us-east-1:111111111111:portfolio/{id}"),
            name: format!("name of {id}"),
            description: None,
            provider: None,
            created: None,
            origin,
        }
    }

    fn identity() -> CallerIdentity {
        CallerIdentity {
            account_id: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/op".into(),
            user_id: "AIDA".into(),
        }
    }

    fn connected(state: &mut State) -> Vec<Command> {
        let generation = state.generation;
        state.update(Msg::Connected {
            generation,
            connection: Connection {
                profile: state.profile.clone(),
                region: "us-east-1".into(),
                endpoint: None,
            },
            identity: identity(),
        })
    }

    fn load_request(cmds: &[Command]) -> u64 {
        match cmds {
            [Command::LoadPortfolios { request, .. }] => *request,
            other => panic!("expected one load, got {other:?}"),
        }
    }

    #[test]
    fn start_connects_then_loads_then_shows_rows() {
        let mut state = State::new("hub", None, true);
        let cmds = state.start();
        assert_eq!(
            cmds,
            [Command::Connect {
                generation: 1,
                profile: "hub".into(),
                region: None
            }]
        );
        assert!(state.is_busy());
        let request = load_request(&connected(&mut state));
        assert_eq!(state.region.as_deref(), Some("us-east-1"));
        assert_eq!(state.status.kind, StatusKind::Busy);

        let rows = vec![
            portfolio("port-a", Origin::Local),
            portfolio(
                "port-b",
                Origin::Imported {
                    owner_account: "222222222222".into(),
                    share_type: ShareType::Account,
                },
            ),
        ];
        state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request,
            result: Ok(rows.clone()),
        });
        assert_eq!(state.portfolios, rows);
        assert!(!state.is_busy());
        assert_eq!(
            state.status,
            info("2 portfolios (1 local, 1 imported)".into())
        );
    }

    #[test]
    fn results_of_an_older_generation_are_dropped() {
        let mut state = State::new("hub", None, false);
        state.start();
        let old_request = load_request(&connected(&mut state));
        let cmds = state.update(key(':'));
        assert!(cmds.is_empty());
        for c in "profile spoke-dev".chars() {
            state.update(key(c));
        }
        let cmds = state.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        assert_eq!(
            cmds,
            [Command::Connect {
                generation: 2,
                profile: "spoke-dev".into(),
                region: None
            }]
        );
        // The hub's late answers change nothing.
        let late = state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request: old_request,
            result: Ok(vec![portfolio("port-hub", Origin::Local)]),
        });
        assert!(late.is_empty());
        assert!(state.portfolios.is_empty());
        let late = state.update(Msg::Connected {
            generation: 1,
            connection: Connection {
                profile: "hub".into(),
                region: "us-east-1".into(),
                endpoint: None,
            },
            identity: identity(),
        });
        assert!(late.is_empty());
        assert!(state.identity.is_none());
        state.update(Msg::ConnectFailed {
            generation: 1,
            error: "old".into(),
        });
        assert_eq!(state.status.kind, StatusKind::Busy);
        assert_eq!(state.profile, "spoke-dev");
    }

    #[test]
    fn only_the_latest_refresh_counts() {
        let mut state = State::new("hub", None, false);
        state.start();
        let first = load_request(&connected(&mut state));
        let second = load_request(&state.update(key('R')));
        assert_ne!(first, second);
        state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request: first,
            result: Ok(vec![portfolio("port-old", Origin::Local)]),
        });
        assert!(state.portfolios.is_empty());
        assert!(state.is_busy());
        state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request: second,
            result: Ok(vec![portfolio("port-new", Origin::Local)]),
        });
        assert_eq!(state.portfolios[0].id, "port-new");
    }

    #[test]
    fn an_error_becomes_the_status_line() {
        let mut state = State::new("nope", None, false);
        state.start();
        state.update(Msg::ConnectFailed {
            generation: 1,
            error: "Profile nope is not in ~/.aws/config — known profiles: hub".into(),
        });
        assert_eq!(state.status.kind, StatusKind::Error);
        assert!(state.status.text.starts_with("Profile nope"));
        assert!(!state.is_busy());
        // R retries the connection.
        let cmds = state.update(key('R'));
        assert!(matches!(
            cmds.as_slice(),
            [Command::Connect { generation: 2, .. }]
        ));

        let mut state = State::new("hub", None, false);
        state.start();
        let request = load_request(&connected(&mut state));
        state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request,
            result: Err("cannot reach http://127.0.0.1:1: connection refused".into()),
        });
        assert_eq!(
            state.status,
            error_status("cannot reach http://127.0.0.1:1: connection refused".into())
        );
    }

    #[test]
    fn keys_move_and_quit() {
        let mut state = State::new("hub", None, false);
        state.start();
        let request = load_request(&connected(&mut state));
        let rows = (0..5)
            .map(|i| portfolio(&format!("port-{i}"), Origin::Local))
            .collect();
        state.update(Msg::PortfoliosLoaded {
            generation: 1,
            request,
            result: Ok(rows),
        });
        state.update(key('j'));
        state.update(key('j'));
        assert_eq!(state.selected, 2);
        state.update(key('k'));
        assert_eq!(state.selected, 1);
        state.update(key('G'));
        assert_eq!(state.selected, 4);
        state.update(key('j'));
        assert_eq!(state.selected, 4);
        state.update(key('g'));
        assert_eq!(state.selected, 0);
        state.update(key('k'));
        assert_eq!(state.selected, 0);
        assert!(!state.should_quit());
        state.update(key('q'));
        assert!(state.should_quit());

        let mut state = State::new("hub", None, false);
        state.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
        assert!(state.should_quit());
    }

    #[test]
    fn unknown_commands_are_explained() {
        let mut state = State::new("hub", None, false);
        for c in ":frob".chars() {
            state.update(key(c));
        }
        state.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        assert_eq!(state.mode, Mode::Normal);
        assert_eq!(state.status.kind, StatusKind::Error);
        assert!(state.status.text.contains(":frob"));
    }
}
