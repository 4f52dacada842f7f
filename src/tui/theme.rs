//! Colours and styles, from `assets/themes/default.toml` (embedded) with
//! the user's `theme.toml` laid over it. Screens say what a row or a cell
//! means (a [`Tone`]); the theme says how that looks.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use toml::Spanned;

use crate::model::{Drift, EventPhase};
use crate::settings::{self, FileError};

/// The theme shipped with spoke.
pub const DEFAULT_THEME: &str = include_str!("../../assets/themes/default.toml");

/// What a row says about itself; the screen decides from the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RowTone {
    #[default]
    Normal,
    Good,
    Warn,
    Bad,
    Dim,
}

/// Version drift, as the theme names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DriftTone {
    Current,
    Behind,
    Deprecated,
    Inactive,
    Unknown,
    /// Not drift: its versions were not read.
    NotRead,
    Tainted,
}

impl From<Drift> for DriftTone {
    fn from(drift: Drift) -> Self {
        match drift {
            Drift::Current => DriftTone::Current,
            Drift::Behind(_) => DriftTone::Behind,
            Drift::OnDeprecated => DriftTone::Deprecated,
            Drift::OnInactive => DriftTone::Inactive,
            Drift::Unknown => DriftTone::Unknown,
            Drift::NotRead => DriftTone::NotRead,
            Drift::Tainted => DriftTone::Tainted,
        }
    }
}

impl DriftTone {
    /// How a row with this drift stands out.
    pub fn row(self) -> RowTone {
        match self {
            DriftTone::Current => RowTone::Normal,
            DriftTone::Behind | DriftTone::Deprecated => RowTone::Warn,
            DriftTone::Inactive | DriftTone::Tainted => RowTone::Bad,
            DriftTone::Unknown | DriftTone::NotRead => RowTone::Dim,
        }
    }
}

/// A stack event's state, as the theme names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventTone {
    InProgress,
    Complete,
    Failed,
    Rollback,
    Delete,
    Skipped,
    Other,
}

impl From<EventPhase> for EventTone {
    fn from(phase: EventPhase) -> Self {
        match phase {
            EventPhase::InProgress => EventTone::InProgress,
            EventPhase::Complete => EventTone::Complete,
            EventPhase::Failed => EventTone::Failed,
            EventPhase::Rollback => EventTone::Rollback,
            EventPhase::Delete => EventTone::Delete,
            EventPhase::Skipped => EventTone::Skipped,
            EventPhase::Other => EventTone::Other,
        }
    }
}

impl EventTone {
    /// A symbol as well as a colour, for who cannot tell the colours apart.
    pub fn symbol(self) -> &'static str {
        match self {
            EventTone::InProgress => "◐",
            EventTone::Complete => "✓",
            // Failed, rolled back or deleted: red and crossed, as rain shows them.
            EventTone::Failed | EventTone::Rollback | EventTone::Delete => "✗",
            EventTone::Skipped => "·",
            EventTone::Other => " ",
        }
    }
}

/// What a cell says about itself, when it says more than its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Row(RowTone),
    /// Something to notice that is not a problem (an imported portfolio).
    Accent,
    Drift(DriftTone),
    Event(EventTone),
}

macro_rules! theme {
    ($($section:ident : $Section:ident { $($key:ident),* $(,)? })*) => {
        $(
            #[derive(Debug, Clone, PartialEq, Eq, Default)]
            pub struct $Section {
                $(pub $key: Style,)*
            }
        )*

        /// Every style of the console, by section.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            $(pub $section: $Section,)*
        }

        impl Theme {
            /// Sections and their styles, as the file names them.
            pub const NAMES: &[(&str, &[&str])] = &[
                $((stringify!($section), &[$(stringify!($key)),*]),)*
            ];

            fn blank() -> Theme {
                Theme { $($section: $Section::default(),)* }
            }

            /// Calls `f` with each style, by section and name.
            pub fn for_each_style(&mut self, mut f: impl FnMut(&str, &str, &mut Style)) {
                $($(f(stringify!($section), stringify!($key), &mut self.$section.$key);)*)*
            }

            fn slot(&mut self, section: &str, key: &str) -> Option<&mut Style> {
                match (section, key) {
                    $($((stringify!($section), stringify!($key)) => Some(&mut self.$section.$key),)*)*
                    _ => None,
                }
            }
        }
    };
}

theme! {
    header: HeaderStyles { title, label, value, read_only, read_write }
    status: StatusStyles { info, busy, error }
    hints: HintStyles { key, text, more }
    table: TableStyles { title, border, header, selection, mark, empty, filter, matched }
    tones: ToneStyles { normal, good, warn, bad, dim, accent }
    drift: DriftStyles { current, behind, deprecated, inactive, unknown, tainted }
    events: EventStyles { in_progress, complete, failed, rollback, delete, skipped, other }
    detail: DetailStyles { key, value }
    overlay: OverlayStyles { border, title }
    form: FormStyles { label, required, input, focused, cursor, help, error, note, submit, question }
}

impl Default for Theme {
    fn default() -> Self {
        Self::defaults().clone()
    }
}

impl Theme {
    /// The embedded theme.
    pub fn defaults() -> &'static Theme {
        static DEFAULTS: OnceLock<Theme> = OnceLock::new();
        DEFAULTS.get_or_init(|| {
            let mut theme = Theme::blank();
            let set = theme
                .apply(DEFAULT_THEME, "assets/themes/default.toml")
                .unwrap_or_else(|e| panic!("the embedded theme is broken: {e}"));
            let all: usize = Theme::NAMES.iter().map(|(_, keys)| keys.len()).sum();
            assert_eq!(set, all, "the embedded theme must give every style");
            theme
        })
    }

    /// `theme.toml` in spoke's config directory.
    pub fn user_path() -> Option<PathBuf> {
        settings::dirs::user_file("theme.toml")
    }

    /// The defaults with the user's file (`path`, else [`Theme::user_path`])
    /// laid over them. A file with a mistake is not used: the defaults are,
    /// and the mistake comes back to be shown.
    pub fn load(path: Option<&Path>) -> (Theme, Option<FileError>) {
        settings::file::load_layered(Self::defaults(), "theme.toml", path, |d, text, path| {
            d.overlay(text, path)
        })
    }

    /// This theme with the styles of `text` replacing its own.
    pub fn overlay(&self, text: &str, path: &str) -> Result<Theme, FileError> {
        let mut theme = self.clone();
        theme.apply(text, path)?;
        Ok(theme)
    }

    /// Sets the styles `text` gives; returns how many.
    fn apply(&mut self, text: &str, path: &str) -> Result<usize, FileError> {
        type RawFile = BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, RawStyle>>>;
        let raw: RawFile = toml::from_str(text).map_err(|e| FileError::toml(path, text, &e))?;
        let mut count = 0;
        for (section, styles) in raw {
            let Some((_, keys)) = Theme::NAMES.iter().find(|(s, _)| *s == section.get_ref()) else {
                let names: Vec<&str> = Theme::NAMES.iter().map(|(s, _)| *s).collect();
                return Err(FileError::in_span(
                    path,
                    text,
                    Some(section.span()),
                    format!(
                        "unknown section `{}`, expected one of: {}",
                        section.get_ref(),
                        names.join(", ")
                    ),
                ));
            };
            for (key, raw_style) in styles.into_inner() {
                let Some(slot) = self.slot(section.get_ref(), key.get_ref()) else {
                    return Err(FileError::in_span(
                        path,
                        text,
                        Some(key.span()),
                        format!(
                            "unknown style `{}` in [{}], expected one of: {}",
                            key.get_ref(),
                            section.get_ref(),
                            keys.join(", ")
                        ),
                    ));
                };
                *slot = raw_style.style().map_err(|(span, message)| {
                    FileError::in_span(path, text, Some(span), message)
                })?;
                count += 1;
            }
        }
        Ok(count)
    }

    pub fn row(&self, tone: RowTone) -> Style {
        match tone {
            RowTone::Normal => self.tones.normal,
            RowTone::Good => self.tones.good,
            RowTone::Warn => self.tones.warn,
            RowTone::Bad => self.tones.bad,
            RowTone::Dim => self.tones.dim,
        }
    }

    pub fn drift(&self, tone: DriftTone) -> Style {
        match tone {
            DriftTone::Current => self.drift.current,
            DriftTone::Behind => self.drift.behind,
            DriftTone::Deprecated => self.drift.deprecated,
            DriftTone::Inactive => self.drift.inactive,
            DriftTone::Unknown => self.drift.unknown,
            DriftTone::NotRead => self.tones.dim,
            DriftTone::Tainted => self.drift.tainted,
        }
    }

    pub fn event(&self, tone: EventTone) -> Style {
        match tone {
            EventTone::InProgress => self.events.in_progress,
            EventTone::Complete => self.events.complete,
            EventTone::Failed => self.events.failed,
            EventTone::Rollback => self.events.rollback,
            EventTone::Delete => self.events.delete,
            EventTone::Skipped => self.events.skipped,
            EventTone::Other => self.events.other,
        }
    }

    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Row(row) => self.row(row),
            Tone::Accent => self.tones.accent,
            Tone::Drift(drift) => self.drift(drift),
            Tone::Event(event) => self.event(event),
        }
    }
}

const COLOUR_NAMES: &str = "black, red, green, yellow, blue, magenta, cyan, gray, darkgray, \
    lightred, lightgreen, lightyellow, lightblue, lightmagenta, lightcyan, white, reset";

/// A colour by name, `#rrggbb`, or a number of the 256-colour palette.
fn parse_colour(text: &str) -> Result<Color, String> {
    let name: String = text
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("grey", "gray");
    let colour = match name.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "darkgray" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        "reset" | "default" => Color::Reset,
        _ => {
            if let Some(hex) = name.strip_prefix('#')
                && hex.len() == 6
                && let Ok(rgb) = u32::from_str_radix(hex, 16)
            {
                return Ok(Color::Rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8));
            }
            if let Ok(index) = name.parse::<u8>() {
                return Ok(Color::Indexed(index));
            }
            return Err(format!(
                "unknown colour `{text}`, expected a name ({COLOUR_NAMES}), \"#rrggbb\" or 0–255"
            ));
        }
    };
    Ok(colour)
}

/// A colour as written: a string or a palette number.
struct RawColour(Result<Color, String>);

fn indexed(v: i64) -> RawColour {
    RawColour(
        u8::try_from(v)
            .map(Color::Indexed)
            .map_err(|_| format!("colour {v} is out of 0–255")),
    )
}

impl<'de> Deserialize<'de> for RawColour {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColourVisitor;
        impl Visitor<'_> for ColourVisitor {
            type Value = RawColour;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour: a name, \"#rrggbb\" or 0–255")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawColour, E> {
                Ok(RawColour(parse_colour(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawColour, E> {
                Ok(indexed(v))
            }
        }
        deserializer.deserialize_any(ColourVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyleTable {
    fg: Option<Spanned<RawColour>>,
    bg: Option<Spanned<RawColour>>,
    bold: Option<bool>,
    dim: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    reversed: Option<bool>,
}

/// `"red"`, `208`, or `{ fg = …, bg = …, bold = true, … }`.
enum RawStyle {
    Colour(Spanned<RawColour>),
    Table(RawStyleTable),
}

impl RawStyle {
    fn style(self) -> Result<Style, (std::ops::Range<usize>, String)> {
        let colour = |c: Spanned<RawColour>| {
            let span = c.span();
            c.into_inner().0.map_err(|message| (span, message))
        };
        match self {
            RawStyle::Colour(c) => Ok(Style::new().fg(colour(c)?)),
            RawStyle::Table(t) => {
                let mut style = Style::new();
                if let Some(fg) = t.fg {
                    style = style.fg(colour(fg)?);
                }
                if let Some(bg) = t.bg {
                    style = style.bg(colour(bg)?);
                }
                for (on, modifier) in [
                    (t.bold, Modifier::BOLD),
                    (t.dim, Modifier::DIM),
                    (t.italic, Modifier::ITALIC),
                    (t.underline, Modifier::UNDERLINED),
                    (t.reversed, Modifier::REVERSED),
                ] {
                    if on == Some(true) {
                        style = style.add_modifier(modifier);
                    }
                }
                Ok(style)
            }
        }
    }
}

impl<'de> Deserialize<'de> for RawStyle {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spanned::<StyleOrColour>::deserialize(deserializer).map(|s| {
            let span = s.span();
            match s.into_inner() {
                StyleOrColour::Colour(c) => RawStyle::Colour(Spanned::new(span, c)),
                StyleOrColour::Table(t) => RawStyle::Table(t),
            }
        })
    }
}

enum StyleOrColour {
    Colour(RawColour),
    Table(RawStyleTable),
}

impl<'de> Deserialize<'de> for StyleOrColour {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StyleVisitor;
        impl<'de> Visitor<'de> for StyleVisitor {
            type Value = StyleOrColour;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a colour (\"red\", \"#ff8800\", 208) or a table { fg, bg, bold, dim, italic, underline, reversed }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StyleOrColour, E> {
                Ok(StyleOrColour::Colour(RawColour(parse_colour(v))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StyleOrColour, E> {
                Ok(StyleOrColour::Colour(indexed(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StyleOrColour, A::Error> {
                RawStyleTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(StyleOrColour::Table)
            }
        }
        deserializer.deserialize_any(StyleVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_theme_gives_every_style() {
        let theme = Theme::defaults();
        assert_eq!(
            theme.header.read_only,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(theme.events.in_progress, Style::new().fg(Color::Blue));
        assert_eq!(theme.events.complete, Style::new().fg(Color::Green));
        assert_eq!(theme.events.skipped, Style::new().fg(Color::DarkGray));
        for tone in [EventTone::Failed, EventTone::Rollback, EventTone::Delete] {
            assert!(matches!(theme.event(tone).fg, Some(Color::Red)), "{tone:?}");
        }
        assert_eq!(
            theme.table.selection,
            Style::new().add_modifier(Modifier::REVERSED)
        );
    }

    #[test]
    fn colours_by_name_hex_or_number() {
        assert_eq!(parse_colour("Light_Red"), Ok(Color::LightRed));
        assert_eq!(parse_colour("darkgrey"), Ok(Color::DarkGray));
        assert_eq!(parse_colour("#ff8800"), Ok(Color::Rgb(255, 136, 0)));
        assert_eq!(parse_colour("208"), Ok(Color::Indexed(208)));
        assert!(
            parse_colour("rde")
                .unwrap_err()
                .contains("unknown colour `rde`")
        );
        assert!(parse_colour("#ff88").is_err());
    }

    #[test]
    fn a_user_file_replaces_the_styles_it_names() {
        let theme = Theme::defaults()
            .overlay(
                "[table]\nselection = { fg = \"black\", bg = \"#00ffff\" }\n[drift]\nbehind = 214\ntainted = \"magenta\"\n",
                "/home/op/.config/spoke/theme.toml",
            )
            .unwrap();
        assert_eq!(
            theme.table.selection,
            Style::new().fg(Color::Black).bg(Color::Rgb(0, 255, 255))
        );
        assert_eq!(
            theme.drift(DriftTone::Behind),
            Style::new().fg(Color::Indexed(214))
        );
        assert_eq!(
            theme.tone(Tone::Drift(DriftTone::Tainted)),
            Style::new().fg(Color::Magenta)
        );
        // What the file leaves alone is the default.
        assert_eq!(theme.header, Theme::defaults().header);
    }

    #[test]
    fn a_bad_file_names_its_line_and_what_was_expected() {
        let path = "/home/op/.config/spoke/theme.toml";
        let bad = |text: &str| Theme::defaults().overlay(text, path).unwrap_err();

        let e = bad("[table]\nselection = \"rde\"\n");
        assert_eq!(e.line, Some((2, 13)), "{e}");
        assert!(
            e.to_string()
                .starts_with(&format!("{path}:2:13: unknown colour `rde`")),
            "{e}"
        );

        let e = bad("[table]\n\nselection = { fg = \"black\", bg = \"nope\" }\n");
        assert_eq!(e.line, Some((3, 34)), "{e}");

        let e = bad("[tabel]\nselection = \"red\"\n");
        assert_eq!(e.line, Some((1, 2)), "{e}");
        assert!(
            e.message
                .contains("unknown section `tabel`, expected one of: header, status"),
            "{e}"
        );

        let e = bad("[table]\nselected = \"red\"\n");
        assert_eq!(e.line, Some((2, 1)), "{e}");
        assert!(
            e.message
                .contains("unknown style `selected` in [table], expected one of: title, border"),
            "{e}"
        );

        let e = bad("[table]\nselection = { fg = \"red\", blink = true }\n");
        assert_eq!(e.line.map(|l| l.0), Some(2), "{e}");
        assert!(e.message.contains("unknown field `blink`"), "{e}");

        let e = bad("[table]\nselection = 300\n");
        assert!(e.message.contains("out of 0–255"), "{e}");

        let e = bad("[table]\nselection = true\n");
        assert!(e.message.contains("a colour"), "{e}");
    }

    #[test]
    fn load_uses_the_defaults_when_the_file_is_bad_or_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("theme.toml");
        assert_eq!(Theme::load(Some(&path)), (Theme::defaults().clone(), None));
        std::fs::write(&path, "[hints]\nkey = \"red\"\n").unwrap();
        let (theme, error) = Theme::load(Some(&path));
        assert_eq!(error, None);
        assert_eq!(theme.hints.key, Style::new().fg(Color::Red));
        std::fs::write(&path, "[hints]\nkey = \"redd\"\n").unwrap();
        let (theme, error) = Theme::load(Some(&path));
        assert_eq!(&theme, Theme::defaults());
        assert_eq!(error.unwrap().line, Some((2, 7)));
    }

    #[test]
    fn the_form_styles_can_be_overridden_too() {
        let theme = Theme::defaults()
            .overlay(
                "[form]\nfocused = { fg = \"white\", bg = \"blue\" }\n",
                "theme.toml",
            )
            .unwrap();
        assert_eq!(
            theme.form.focused,
            Style::new().fg(Color::White).bg(Color::Blue)
        );
        assert_eq!(theme.form.error, Theme::defaults().form.error);
        assert!(
            Theme::defaults()
                .overlay("[form]\nfocussed = \"red\"\n", "theme.toml")
                .unwrap_err()
                .message
                .contains("expected one of: label, required, input, focused")
        );
    }

    #[test]
    fn drifted_rows_stand_out() {
        assert_eq!(DriftTone::from(Drift::Current).row(), RowTone::Normal);
        assert_eq!(DriftTone::from(Drift::Behind(2)).row(), RowTone::Warn);
        assert_eq!(DriftTone::from(Drift::Tainted).row(), RowTone::Bad);
        assert_eq!(
            EventTone::from(crate::model::phase_of("CREATE_FAILED")),
            EventTone::Failed
        );
    }
}
