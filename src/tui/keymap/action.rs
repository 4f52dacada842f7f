//! Everything a key can do outside text input, each with the name the
//! keymap file gives it.

macro_rules! actions {
    ($($variant:ident => $name:literal,)*) => {
        /// Everything a key can do outside text input.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The name in the keymap file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $($name => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Down => "down",
    Up => "up",
    Top => "top",
    Bottom => "bottom",
    PageDown => "page_down",
    PageUp => "page_up",
    Drill => "drill",
    Back => "back",
    ShowConstraints => "show_constraints",
    ScreenPortfolios => "screen_portfolios",
    ScreenProducts => "screen_products",
    ScreenConstraints => "screen_constraints",
    ScreenProvisioned => "screen_provisioned",
    ScreenEvents => "screen_events",
    Command => "command",
    Profiles => "profiles",
    Filter => "filter",
    SortNext => "sort_next",
    SortReverse => "sort_reverse",
    Mark => "mark",
    MarkAll => "mark_all",
    ClearMarks => "clear_marks",
    Detail => "detail",
    Follow => "follow",
    Share => "share",
    Accept => "accept",
    Launch => "launch",
    Update => "update",
    BulkUpdate => "bulk_update",
    Export => "export",
    Refresh => "refresh",
    Calls => "calls",
    Help => "help",
    Quit => "quit",
}
