//! The `:` command line: commands with aliases, Tab completion of
//! commands and their arguments (profile and region names), and history.

use crate::tui::keymap::{Action, Typed};

/// What a command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// A profile name; without one, the picker opens.
    Profile,
    /// A region name (required).
    Region,
    /// A bulk update's opt-in policy (optional): `everything`,
    /// `tag:KEY=VALUE`, `products:A,B`.
    Policy,
    /// A folder (required); Tab completes it as a shell does.
    Path,
}

/// One command of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub arg: Arg,
    pub help: &'static str,
}

/// Every command, in the order completion offers them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "portfolios",
        aliases: &["pf"],
        arg: Arg::None,
        help: "the portfolios screen",
    },
    CommandSpec {
        name: "products",
        aliases: &["prod"],
        arg: Arg::None,
        help: "the products screen",
    },
    CommandSpec {
        name: "constraints",
        aliases: &["con"],
        arg: Arg::None,
        help: "the constraints screen",
    },
    CommandSpec {
        name: "provisioned",
        aliases: &["pp"],
        arg: Arg::None,
        help: "the provisioned products screen",
    },
    CommandSpec {
        name: "events",
        aliases: &["ev"],
        arg: Arg::None,
        help: "the stack events screen",
    },
    CommandSpec {
        name: "xray",
        aliases: &[],
        arg: Arg::None,
        help: "the hygiene findings (spoke lint) of the account or the fleet; Enter on one opens the plan of its fix",
    },
    CommandSpec {
        name: "matrix",
        aliases: &[],
        arg: Arg::None,
        help: "which version of each product runs in which account (products down, accounts across; ←/→ moves across, Enter lists a cell's provisioned products)",
    },
    CommandSpec {
        name: "profile",
        aliases: &[],
        arg: Arg::Profile,
        help: "switch profile (without a name: the picker)",
    },
    CommandSpec {
        name: "region",
        aliases: &[],
        arg: Arg::Region,
        help: "switch region",
    },
    CommandSpec {
        name: "help",
        aliases: &[],
        arg: Arg::None,
        help: "the keys",
    },
    CommandSpec {
        name: "calls",
        aliases: &["api"],
        arg: Arg::None,
        help: "the log of AWS calls (@)",
    },
    CommandSpec {
        name: "log",
        aliases: &["journal"],
        arg: Arg::None,
        help: "the journal of every change made from spoke",
    },
    CommandSpec {
        name: "bulk",
        aliases: &["drifted"],
        arg: Arg::Policy,
        help: "plan the update of every drifted provisioned product in view (U); optional policy: everything, tag:KEY=VALUE, products:A,B",
    },
    CommandSpec {
        name: "resume",
        aliases: &[],
        arg: Arg::None,
        help: "resume the last bulk update that was stopped (nothing is updated twice)",
    },
    CommandSpec {
        name: "sync",
        aliases: &[],
        arg: Arg::Path,
        help: "the plan that brings the hub in step with a folder of portfolio-*/mapping.yaml (spoke sync DIR); applied after typing sync",
    },
    CommandSpec {
        name: "prune",
        aliases: &[],
        arg: Arg::Path,
        help: "as :sync, and what is in the hub but not in the folder is deleted (spoke sync --prune); applied after typing prune",
    },
    CommandSpec {
        name: "quit",
        aliases: &["q", "q!"],
        arg: Arg::None,
        help: "leave spoke",
    },
];

/// The commercial AWS regions, for completing `:region`.
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
];

/// The regions of the other partitions: AWS China and AWS GovCloud (US).
pub const CHINA_REGIONS: &[&str] = &["cn-north-1", "cn-northwest-1"];
pub const GOV_REGIONS: &[&str] = &["us-gov-west-1", "us-gov-east-1"];

/// The regions of `partition` (`aws`, `aws-cn`, `aws-us-gov`; the part of
/// an ARN after `arn:`), for completing and checking `:region`.
pub fn regions_of(partition: &str) -> &'static [&'static str] {
    match partition {
        "aws-cn" => CHINA_REGIONS,
        "aws-us-gov" => GOV_REGIONS,
        _ => REGIONS,
    }
}

/// Whether `region` can be switched to in `partition`: `Ok(true)` for a
/// region spoke knows, `Ok(false)` for one shaped like a region
/// (`xx-name-N`) that spoke does not know (a region newer than spoke),
/// else why not.
pub fn check_region(region: &str, partition: &str) -> Result<bool, String> {
    let known = regions_of(partition);
    if known.contains(&region) {
        return Ok(true);
    }
    let parts: Vec<&str> = region.split('-').collect();
    let shaped = parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()));
    let other = [REGIONS, CHINA_REGIONS, GOV_REGIONS]
        .iter()
        .any(|list| list.contains(&region));
    if other || !shaped {
        let similar: Vec<&str> = known
            .iter()
            .copied()
            .filter(|r| r.starts_with(&region[..region.len().min(2)]))
            .take(6)
            .collect();
        let hint = if similar.is_empty() {
            format!("e.g. {}", known[0])
        } else {
            format!("e.g. {}", similar.join(", "))
        };
        return Err(if other {
            format!(
                "{region} is not a region of this account's partition ({partition}) — {hint} (Tab completes)"
            )
        } else {
            format!("{region} is not an AWS region — {hint} (Tab completes)")
        });
    }
    Ok(false)
}

/// What is wrong with the line being typed, said before Enter: a first
/// word that is no command (once a space ends it), or a region that no
/// region of `regions` starts like. `None` while it may still become right.
pub fn live_problem(line: &str, profiles: &[String], regions: &[&str]) -> Option<String> {
    let mut words = line.split_whitespace();
    let first = words.next()?;
    let ended = line.trim_start().len() > first.len();
    let Some(command) = find(first) else {
        return ended.then(|| format!("no command :{first} — Tab completes the commands"));
    };
    let arg = words.next()?;
    match command.arg {
        Arg::None => Some(format!(":{} takes no argument", command.name)),
        Arg::Profile if !profiles.is_empty() && !profiles.iter().any(|p| p.starts_with(arg)) => {
            Some(format!(
                "no profile starts with {arg} — Tab completes the profiles"
            ))
        }
        Arg::Region if !regions.iter().any(|r| r.starts_with(arg)) => Some(format!(
            "no region starts with {arg} — e.g. {} (Tab completes)",
            regions.first().copied().unwrap_or("us-east-1")
        )),
        _ => None,
    }
}

/// The command of a name or alias.
pub fn find(word: &str) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word))
}

/// A command line, understood: the command and its argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub command: &'static CommandSpec,
    pub arg: Option<String>,
}

/// Understands a submitted line (without the `:`). `Ok(None)` for an empty
/// line; an error is one line for the status bar.
pub fn parse(line: &str) -> Result<Option<Parsed>, String> {
    let mut words = line.split_whitespace();
    let Some(word) = words.next() else {
        return Ok(None);
    };
    let Some(command) = find(word) else {
        let names: Vec<String> = COMMANDS.iter().map(|c| format!(":{}", c.name)).collect();
        return Err(format!(
            "unknown command :{word} — try {} (Tab completes)",
            names.join(", ")
        ));
    };
    let arg = words.next().map(str::to_string);
    if let Some(extra) = words.next() {
        return Err(format!(
            ":{} takes at most one word; `{extra}` is one too many",
            command.name
        ));
    }
    match (command.arg, &arg) {
        (Arg::None, Some(arg)) => Err(format!(":{} takes no argument (got `{arg}`)", command.name)),
        (Arg::Region, None) => Err(format!(
            ":{} needs a name, e.g. :{} eu-west-1 (Tab completes)",
            command.name, command.name
        )),
        (Arg::Path, None) => Err(format!(
            ":{} needs a folder, e.g. :{} catalog/ (Tab completes)",
            command.name, command.name
        )),
        _ => Ok(Some(Parsed { command, arg })),
    }
}

/// What the command line did with a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still editing.
    Editing,
    /// Enter: the line to run.
    Submit(String),
    /// Esc (only: Backspace on an empty line stays).
    Cancel,
}

/// Candidates offered by Tab, and which one is in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line before the word being completed.
    base: String,
    pub candidates: Vec<String>,
    pub selected: Option<usize>,
}

/// The line being typed after `:`, with its history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    input: String,
    history: Vec<String>,
    /// Browsing history: the entry shown, and the line typed before.
    browsing: Option<(usize, String)>,
    completion: Option<Completion>,
}

const HISTORY: usize = 100;

impl CommandLine {
    pub fn input(&self) -> &str {
        &self.input
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The candidates Tab offered, while they are current.
    pub fn completion(&self) -> Option<&Completion> {
        self.completion.as_ref()
    }

    /// A fresh line (the history stays).
    pub fn open(&mut self) {
        self.input.clear();
        self.browsing = None;
        self.completion = None;
    }

    /// Handles a key; `profiles` are the names `:profile` completes,
    /// `regions` those `:region` completes.
    pub fn key(&mut self, key: Typed, profiles: &[String], regions: &[&str]) -> Outcome {
        match key {
            Typed::Do(Action::Cancel) => return Outcome::Cancel,
            Typed::Do(Action::Enter) => {
                let line = self.input.trim().to_string();
                if !line.is_empty() && self.history.last() != Some(&line) {
                    self.history.push(line.clone());
                    if self.history.len() > HISTORY {
                        self.history.remove(0);
                    }
                }
                self.open();
                return Outcome::Submit(line);
            }
            Typed::Do(Action::NextField) => {
                self.complete(profiles, regions, true);
                return Outcome::Editing;
            }
            Typed::Do(Action::PreviousField) => {
                self.complete(profiles, regions, false);
                return Outcome::Editing;
            }
            Typed::Do(Action::LineUp) => {
                self.history_step(-1);
                return Outcome::Editing;
            }
            Typed::Do(Action::LineDown) => {
                self.history_step(1);
                return Outcome::Editing;
            }
            // On an empty line it does nothing: only Esc or Enter leave,
            // so keys typed on are never taken for bindings.
            Typed::Do(Action::DeleteBack) => {
                if self.input.pop().is_none() {
                    return Outcome::Editing;
                }
            }
            Typed::Do(Action::ClearLine) => self.input.clear(),
            Typed::Do(Action::DeleteWord) => {
                let trimmed = self.input.trim_end().len();
                self.input.truncate(trimmed);
                let start = self.input.rfind(' ').map_or(0, |i| i + 1);
                self.input.truncate(start);
            }
            Typed::Char(c) => self.input.push(c),
            _ => return Outcome::Editing,
        }
        // The line changed by hand.
        self.completion = None;
        self.browsing = None;
        Outcome::Editing
    }

    fn history_step(&mut self, step: isize) {
        if self.history.is_empty() {
            return;
        }
        self.completion = None;
        let last = self.history.len() - 1;
        match (self.browsing.take(), step < 0) {
            (None, true) => {
                self.browsing = Some((last, std::mem::take(&mut self.input)));
                self.input = self.history[last].clone();
            }
            (None, false) => {}
            (Some((i, draft)), true) => {
                let i = i.saturating_sub(1);
                self.input = self.history[i].clone();
                self.browsing = Some((i, draft));
            }
            (Some((i, draft)), false) if i < last => {
                self.input = self.history[i + 1].clone();
                self.browsing = Some((i + 1, draft));
            }
            (Some((_, draft)), false) => self.input = draft,
        }
    }

    /// Tab: completes the word being typed; pressed again, cycles through
    /// the candidates (`forward` false: backwards).
    fn complete(&mut self, profiles: &[String], regions: &[&str], forward: bool) {
        if let Some(c) = &mut self.completion
            && c.candidates.len() > 1
        {
            let n = c.candidates.len();
            let next = match (c.selected, forward) {
                (None, true) => 0,
                (None, false) => n - 1,
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
            };
            c.selected = Some(next);
            self.input = format!("{}{}", c.base, c.candidates[next]);
            return;
        }
        let (base, word, candidates) = candidates(&self.input, profiles, regions);
        match candidates.as_slice() {
            [] => self.completion = None,
            [only] => {
                // A command that takes an argument gets its space.
                let space = base.is_empty() && find(only).is_some_and(|c| c.arg != Arg::None);
                self.input = format!("{base}{only}{}", if space { " " } else { "" });
                self.completion = None;
            }
            many => {
                let common = common_prefix(many);
                if common.len() > word.len() {
                    self.input = format!("{base}{common}");
                }
                self.completion = Some(Completion {
                    base,
                    candidates: candidates.clone(),
                    selected: None,
                });
            }
        }
    }
}

/// What the last word of `input` could become: (the line before it, the
/// word, the candidates).
fn candidates(input: &str, profiles: &[String], regions: &[&str]) -> (String, String, Vec<String>) {
    let start = input.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let (base, word) = input.split_at(start);
    let before: Vec<&str> = base.split_whitespace().collect();
    let candidates: Vec<String> = match before.as_slice() {
        [] => {
            let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            names.extend(COMMANDS.iter().flat_map(|c| c.aliases.iter().copied()));
            names
                .into_iter()
                .filter(|n| n.starts_with(word))
                .map(str::to_string)
                .collect()
        }
        [command] => match find(command).map(|c| c.arg) {
            Some(Arg::Profile) => profiles
                .iter()
                .filter(|p| p.starts_with(word))
                .cloned()
                .collect(),
            Some(Arg::Region) => regions
                .iter()
                .filter(|r| r.starts_with(word))
                .map(|r| r.to_string())
                .collect(),
            Some(Arg::Path) => match crate::tui::widgets::form::path::complete(word) {
                crate::tui::widgets::form::path::Completion::Extended(p) => vec![p],
                crate::tui::widgets::form::path::Completion::Choices(names) => {
                    let dir = word.rfind('/').map_or("", |i| &word[..=i]);
                    names.into_iter().map(|n| format!("{dir}{n}")).collect()
                }
                crate::tui::widgets::form::path::Completion::None => Vec::new(),
            },
            Some(Arg::Policy) => [
                "everything",
                "tag:AutoUpdateProvisionedProduct=true",
                "products:",
            ]
            .iter()
            .filter(|r| r.starts_with(word))
            .map(|r| r.to_string())
            .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    (base.to_string(), word.to_string(), candidates)
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut len = first.len();
    for w in &words[1..] {
        len = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(len);
    }
    first[..len].to_string()
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::keymap::Keymap;

    fn typed(key: KeyEvent) -> Typed {
        Keymap::defaults().typed(&key)
    }

    fn profiles() -> Vec<String> {
        ["hub", "spoke-dev", "spoke-prod", "default"]
            .map(String::from)
            .to_vec()
    }

    fn type_in(line: &mut CommandLine, text: &str) {
        for c in text.chars() {
            assert_eq!(
                line.key(
                    typed(KeyEvent::from(KeyCode::Char(c))),
                    &profiles(),
                    REGIONS
                ),
                Outcome::Editing
            );
        }
    }

    fn press(line: &mut CommandLine, code: KeyCode) -> Outcome {
        line.key(typed(KeyEvent::from(code)), &profiles(), REGIONS)
    }

    #[test]
    fn commands_and_aliases_parse() {
        for (line, name, arg) in [
            ("pf", "portfolios", None),
            ("portfolios", "portfolios", None),
            ("prod", "products", None),
            ("con", "constraints", None),
            ("pp", "provisioned", None),
            ("ev", "events", None),
            ("  profile   spoke-dev ", "profile", Some("spoke-dev")),
            ("profile", "profile", None),
            ("region eu-west-1", "region", Some("eu-west-1")),
            ("q", "quit", None),
            ("q!", "quit", None),
        ] {
            let parsed = parse(line).unwrap().unwrap();
            assert_eq!(parsed.command.name, name, "{line}");
            assert_eq!(parsed.arg.as_deref(), arg, "{line}");
        }
        assert_eq!(parse("  "), Ok(None));
    }

    #[test]
    fn mistakes_say_what_to_do() {
        let e = parse("frob").unwrap_err();
        assert!(
            e.starts_with("unknown command :frob — try :portfolios, :products"),
            "{e}"
        );
        assert!(e.ends_with("(Tab completes)"), "{e}");
        assert!(
            parse("region")
                .unwrap_err()
                .contains(":region needs a name")
        );
        assert!(parse("pf x").unwrap_err().contains("takes no argument"));
        assert!(parse("profile a b").unwrap_err().contains("one too many"));
    }

    #[test]
    fn tab_completes_a_unique_command_and_adds_the_space_for_its_argument() {
        let mut line = CommandLine::default();
        type_in(&mut line, "reg");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "region ");
        type_in(&mut line, "eu-w");
        press(&mut line, KeyCode::Tab);
        // Three candidates share "eu-west-".
        assert_eq!(line.input(), "region eu-west-");
        let c = line.completion().unwrap();
        assert_eq!(c.candidates, ["eu-west-1", "eu-west-2", "eu-west-3"]);
        assert_eq!(c.selected, None);
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "region eu-west-1");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "region eu-west-2");
        press(&mut line, KeyCode::BackTab);
        assert_eq!(line.input(), "region eu-west-1");
        assert_eq!(
            press(&mut line, KeyCode::Enter),
            Outcome::Submit("region eu-west-1".into())
        );
        assert_eq!(line.input(), "");
        assert!(line.completion().is_none());
    }

    #[test]
    fn tab_offers_commands_aliases_and_profiles() {
        let mut line = CommandLine::default();
        type_in(&mut line, "p");
        press(&mut line, KeyCode::Tab);
        assert_eq!(
            line.completion().unwrap().candidates,
            [
                "portfolios",
                "products",
                "provisioned",
                "profile",
                "prune",
                "pf",
                "prod",
                "pp"
            ]
        );
        // Typing drops the candidates.
        type_in(&mut line, "rofile ");
        assert!(line.completion().is_none());
        type_in(&mut line, "sp");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "profile spoke-");
        assert_eq!(
            line.completion().unwrap().candidates,
            ["spoke-dev", "spoke-prod"]
        );
        type_in(&mut line, "p");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "profile spoke-prod");
        // Nothing to complete: nothing changes.
        let mut line = CommandLine::default();
        type_in(&mut line, "zz");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "zz");
        assert!(line.completion().is_none());
        let mut line = CommandLine::default();
        type_in(&mut line, "pf ");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "pf ");
    }

    #[test]
    fn history_goes_back_and_forth_and_keeps_the_draft() {
        let mut line = CommandLine::default();
        for cmd in ["pf", "region us-east-1", "pf", "pp"] {
            type_in(&mut line, cmd);
            press(&mut line, KeyCode::Enter);
        }
        assert_eq!(line.history(), ["pf", "region us-east-1", "pf", "pp"]);
        type_in(&mut line, "ev");
        press(&mut line, KeyCode::Up);
        assert_eq!(line.input(), "pp");
        press(&mut line, KeyCode::Up);
        assert_eq!(line.input(), "pf");
        press(&mut line, KeyCode::Up);
        press(&mut line, KeyCode::Up);
        press(&mut line, KeyCode::Up);
        assert_eq!(line.input(), "pf");
        press(&mut line, KeyCode::Down);
        assert_eq!(line.input(), "region us-east-1");
        for _ in 0..3 {
            press(&mut line, KeyCode::Down);
        }
        assert_eq!(line.input(), "ev");
        // The same line twice in a row is kept once.
        press(&mut line, KeyCode::Enter);
        type_in(&mut line, "ev");
        press(&mut line, KeyCode::Enter);
        assert_eq!(line.history().last().map(String::as_str), Some("ev"));
        assert_eq!(line.history().len(), 5);
    }

    #[test]
    fn a_line_is_checked_as_it_is_typed() {
        let p = profiles();
        assert_eq!(
            live_problem("regoin", &p, REGIONS),
            None,
            "may still become a command"
        );
        assert_eq!(
            live_problem("regoin ", &p, REGIONS).as_deref(),
            Some("no command :regoin — Tab completes the commands")
        );
        assert_eq!(live_problem("region eu-we", &p, REGIONS), None);
        assert!(
            live_problem("region mars-1", &p, REGIONS)
                .unwrap()
                .starts_with("no region starts with mars-1")
        );
        assert_eq!(
            live_problem("portfolios x", &p, REGIONS).as_deref(),
            Some(":portfolios takes no argument")
        );
        assert!(
            live_problem("profile nosuch", &p, REGIONS)
                .unwrap()
                .starts_with("no profile starts with nosuch")
        );
        assert_eq!(
            live_problem(&format!("profile {}", p[0]), &p, REGIONS),
            None
        );
        assert_eq!(live_problem("", &p, REGIONS), None);
    }

    #[test]
    fn a_region_is_checked_against_the_partition() {
        assert_eq!(check_region("eu-west-1", "aws"), Ok(true));
        assert_eq!(
            check_region("eu-west-9", "aws"),
            Ok(false),
            "shaped like one: newer than spoke"
        );
        let mars = check_region("mars-1", "aws").unwrap_err();
        assert!(
            mars.starts_with("mars-1 is not an AWS region — e.g. "),
            "{mars}"
        );
        let china = check_region("cn-north-1", "aws").unwrap_err();
        assert!(
            china.contains("not a region of this account's partition (aws)"),
            "{china}"
        );
        assert_eq!(check_region("cn-north-1", "aws-cn"), Ok(true));
        assert!(check_region("EU-WEST-1", "aws").is_err());
        assert!(check_region("", "aws").is_err());
    }

    #[test]
    fn tab_after_an_empty_argument_offers_every_profile_and_region() {
        let mut line = CommandLine::default();
        type_in(&mut line, "profile ");
        press(&mut line, KeyCode::Tab);
        let offered = line
            .completion()
            .map(|c| c.candidates.clone())
            .unwrap_or_default();
        assert_eq!(offered, profiles());
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), format!("profile {}", profiles()[0]));

        let mut line = CommandLine::default();
        type_in(&mut line, "region ");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.completion().unwrap().candidates.len(), REGIONS.len());
        type_in(&mut line, "");
        let mut line = CommandLine::default();
        type_in(&mut line, "region eu-w");
        press(&mut line, KeyCode::Tab);
        assert_eq!(line.input(), "region eu-west-");
    }

    #[test]
    fn editing_keys() {
        let mut line = CommandLine::default();
        type_in(&mut line, "profile spoke-dev");
        line.key(
            typed(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
            &[],
            REGIONS,
        );
        assert_eq!(line.input(), "profile ");
        line.key(
            typed(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
            &[],
            REGIONS,
        );
        assert_eq!(line.input(), "");
        type_in(&mut line, "a");
        assert_eq!(press(&mut line, KeyCode::Backspace), Outcome::Editing);
        // An empty line stays open: Backspace does nothing more.
        for _ in 0..3 {
            assert_eq!(press(&mut line, KeyCode::Backspace), Outcome::Editing);
        }
        assert_eq!(line.input(), "");
        type_in(&mut line, "o");
        assert_eq!(line.input(), "o");
        assert_eq!(press(&mut line, KeyCode::Esc), Outcome::Cancel);
    }
}
