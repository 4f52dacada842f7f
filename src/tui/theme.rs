//! Colours and styles in one place (a theme file can replace them later).

use ratatui::style::{Color, Modifier, Style};

pub fn read_only_badge() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn read_write_badge() -> Style {
    Style::new().fg(Color::Black).bg(Color::Green)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn label() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn value() -> Style {
    Style::new().fg(Color::White).add_modifier(Modifier::BOLD)
}

pub fn busy() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn table_header() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn selected_row() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn imported() -> Style {
    Style::new().fg(Color::Magenta)
}
