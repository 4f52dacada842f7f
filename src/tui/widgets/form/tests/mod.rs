use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::*;

mod draw;
mod editing;
mod focus;
use crate::tui::keymap::{Keymap, Typed};
use crate::tui::theme::Theme;

pub(super) fn typed(key: KeyEvent) -> Typed {
    Keymap::defaults().typed(&key)
}

pub(super) fn press(form: &mut Form, code: KeyCode) -> FormOutcome {
    form.key(typed(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(super) fn ctrl(form: &mut Form, c: char) -> FormOutcome {
    form.key(typed(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

pub(super) fn type_in(form: &mut Form, text: &str) {
    for c in text.chars() {
        assert_eq!(press(form, KeyCode::Char(c)), FormOutcome::Editing);
    }
}

/// A launch: a name, a version, a launch path, a parameter with allowed
/// values, a NoEcho one with an error, a free one, a toggle.
pub(super) fn launch() -> Form {
    Form::new("Launch dev-db")
        .intro("Product dev-db from portfolio Networking (imported from 111111111111)")
        .field(Field::note(
            "product",
            "Product",
            "dev-db · owner Platform team",
        ))
        .field(
            Field::text("name", "Provisioned name")
                .required()
                .value("dev-db-1")
                .help("A name for the provisioned product, unique in this account"),
        )
        .field(Field::choice(
            "version",
            "Version",
            ["v1.3 (latest)", "v1.2", "v1.1 (deprecated)"],
        ))
        .field(Field::choice(
            "path",
            "Launch path",
            ["Networking (launch role ops-launch)", "Sandbox"],
        ))
        .field(
            Field::choice(
                "InstanceClass",
                "InstanceClass",
                ["db.t3.micro", "db.t3.small", "db.m5.large", "db.r6g.xlarge"],
            )
            .value("db.t3.small")
            .help("The database instance class"),
        )
        .field(
            Field::masked("DBPassword", "DBPassword")
                .required()
                .value("hunter2-secret")
                .help("The master password (NoEcho)")
                .error("must be at least 16 characters (MinLength)"),
        )
        .field(
            Field::text("AllocatedStorage", "AllocatedStorage")
                .value("20")
                .help("Storage in GiB, 20 to 100"),
        )
        .field(Field::toggle("notify", "Notify on events", false))
}

pub(super) fn render(width: u16, height: u16, form: &Form) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::default();
    terminal
        .draw(|frame| draw(frame, frame.area(), form, &theme, Keymap::defaults()))
        .unwrap();
    terminal
}

pub(super) fn shown(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut hidden = 0;
        for x in 0..buffer.area.width {
            // The cells a wide character covers.
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            hidden = crate::tui::widgets::text::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

pub(super) fn text_of(form: &Form, key: &str) -> (String, usize) {
    let field = form.fields.iter().find(|f| f.key == key).unwrap();
    match &field.input {
        Input::Text { value, cursor, .. } => (value.clone(), *cursor),
        other => panic!("{other:?}"),
    }
}
