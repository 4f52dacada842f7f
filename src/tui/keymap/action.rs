//! Everything a key can do, each with the name the keymap file gives it and
//! the context it works in: browsing (the screens and overlays), typing (a
//! form, the filter, the command line, a typed confirmation, the help's
//! filter) or the bulk update's dialogs.

macro_rules! actions {
    ($($variant:ident => $name:literal,)*) => {
        /// Everything a key can do.
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
    ColumnLeft => "column_left",
    ColumnRight => "column_right",
    GroupBy => "group_by",
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
    Records => "records",
    Resources => "resources",
    Outputs => "outputs",
    Parameters => "parameters",
    ResourceDrift => "resource_drift",
    ServiceActions => "service_actions",
    Share => "share",
    Accept => "accept",
    Launch => "launch",
    Update => "update",
    Versions => "versions",
    New => "new",
    NewProduct => "new_product",
    AutoUpdate => "auto_update",
    Principals => "principals",
    Unshare => "unshare",
    Terminate => "terminate",
    Repair => "repair",
    BulkUpdate => "bulk_update",
    Export => "export",
    Refresh => "refresh",
    Calls => "calls",
    CopyUrl => "copy_url",
    Help => "help",
    Quit => "quit",
    Cancel => "cancel",
    Enter => "enter",
    Submit => "submit",
    NextField => "next_field",
    PreviousField => "previous_field",
    LineUp => "line_up",
    LineDown => "line_down",
    ListPageUp => "list_page_up",
    ListPageDown => "list_page_down",
    CursorLeft => "cursor_left",
    CursorRight => "cursor_right",
    LineStart => "line_start",
    LineEnd => "line_end",
    DeleteBack => "delete_back",
    DeleteForward => "delete_forward",
    DeleteWord => "delete_word",
    ClearLine => "clear_line",
    PreviewRisk => "preview_risk",
    IncludeRisky => "include_risky",
    CancelRun => "cancel_run",
}

/// Where an action works. A key may mean one thing in each context (Esc is
/// `back` while browsing and `cancel` while typing), but only one thing in
/// one context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The screens and the overlays, no text being typed.
    Browse,
    /// Text is being typed, or a dialog is in front: a key either does one
    /// of these or types its character.
    Typing,
    /// The bulk update's plan and run dialogs (besides the typing keys).
    Bulk,
}

impl Action {
    pub fn context(self) -> Context {
        use Action::*;
        match self {
            Cancel | Enter | Submit | NextField | PreviousField | LineUp | LineDown
            | ListPageUp | ListPageDown | CursorLeft | CursorRight | LineStart | LineEnd
            | DeleteBack | DeleteForward | DeleteWord | ClearLine => Context::Typing,
            PreviewRisk | IncludeRisky | CancelRun => Context::Bulk,
            _ => Context::Browse,
        }
    }
}
