//! `y`: the AWS web console's page of what is selected, shown and put on
//! the terminal's clipboard (OSC 52, written with the next frame), for the
//! step spoke does not do.

use super::State;
use super::act::Dialog;
use super::status::info;
use crate::model::console_url::{ConsolePage, StackTab, url};
use crate::tui::screens::{Scope, Screen};

impl State {
    /// The page of the row selected (or of the level's subject), and what
    /// it is, for the dialog.
    fn console_page(&self) -> Result<(String, String), String> {
        let level = self.level();
        let key = level.table.selected_key();
        let region = self
            .session
            .region()
            .ok_or("the region is not known yet (not connected): R retries")?;
        let stack_of = |tab: StackTab| match &level.scope {
            Scope::Provisioned { name, stack, .. } => Ok((
                url(region, &ConsolePage::Stack { id: stack, tab }),
                format!("the stack of {name}"),
            )),
            _ => Err("no stack in view: open a provisioned product's events (5) first".to_string()),
        };
        let none = || format!("nothing selected on the {} screen", level.screen.noun());
        match level.screen {
            Screen::Portfolios | Screen::Principals => {
                let id = match (&level.scope, level.screen) {
                    (Scope::Portfolio { id, .. }, Screen::Principals) => id.clone(),
                    _ => key.ok_or_else(none)?.to_string(),
                };
                let name = self
                    .catalog
                    .portfolio(&id)
                    .map_or(id.clone(), |p| p.name.clone());
                Ok((
                    url(region, &ConsolePage::Portfolio(&id)),
                    format!("portfolio {name}"),
                ))
            }
            // The matrix's row is a product too.
            Screen::Products | Screen::Matrix => {
                let id = key.ok_or_else(none)?;
                let name = self
                    .catalog
                    .product(id)
                    .map_or(id.to_string(), |p| p.name.clone());
                Ok((
                    url(region, &ConsolePage::Product(id)),
                    format!("product {name}"),
                ))
            }
            Screen::Versions => match &level.scope {
                Scope::Product { id, name, .. } => Ok((
                    url(region, &ConsolePage::Product(id)),
                    format!("product {name} (its versions)"),
                )),
                _ => Err(none()),
            },
            Screen::Constraints => {
                let c = key
                    .and_then(|k| self.catalog.constraint(k))
                    .ok_or_else(none)?;
                Ok((
                    url(region, &ConsolePage::Portfolio(&c.portfolio_id)),
                    format!("the portfolio of constraint {}", c.id),
                ))
            }
            Screen::Provisioned => {
                let id = key.ok_or_else(none)?;
                let name = self
                    .catalog
                    .provisioned_product(id)
                    .map_or(id.to_string(), |p| p.name.clone());
                Ok((
                    url(region, &ConsolePage::Provisioned(id)),
                    format!("provisioned product {name}"),
                ))
            }
            // A record has no page of its own: its provisioned product's
            // page lists it.
            // An action is the hub's (its document is in Systems Manager):
            // the provisioned product's page runs it.
            Screen::Xray => Err(
                "a finding has no page of its own: Enter opens its fix, or the detail says where"
                    .to_string(),
            ),
            Screen::Records | Screen::Actions => match &level.scope {
                Scope::Provisioned { id, name, .. } => Ok((
                    url(region, &ConsolePage::Provisioned(id)),
                    format!(
                        "provisioned product {name}, whose page {} {}",
                        if level.screen == Screen::Records {
                            "lists record"
                        } else {
                            "runs action"
                        },
                        key.unwrap_or("—")
                    ),
                )),
                _ => Err(none()),
            },
            Screen::Events => stack_of(StackTab::Events),
            Screen::Resources | Screen::ResourceDrift => stack_of(StackTab::Resources),
            Screen::Outputs => stack_of(StackTab::Outputs),
            Screen::Parameters => stack_of(StackTab::Parameters),
        }
    }

    /// `y`: the page shown in a dialog and sent to the clipboard.
    pub(super) fn copy_console_url(&mut self) {
        if self.overlay.is_some() {
            self.status =
                info("y copies the page of a screen's row: close the overlay (Esc) first".into());
            return;
        }
        match self.console_page() {
            Ok((url, what)) => {
                let account = self
                    .identity()
                    .map(|i| {
                        format!(
                            " — the browser must be signed in to account {}",
                            i.account_id
                        )
                    })
                    .unwrap_or_default();
                self.dialog = Some(Dialog::Report {
                    title: "AWS console".into(),
                    lines: vec![
                        format!("The page of {what}:"),
                        url.clone(),
                        format!(
                            "Copied to the clipboard (OSC 52: the terminal must allow it; in tmux, set-clipboard on){account}."
                        ),
                    ],
                    ok: true,
                });
                self.status = info(format!("Copied the AWS console's page of {what}"));
                self.clipboard = Some(url);
            }
            Err(why) => self.status = info(format!("No AWS console page to copy: {why}")),
        }
    }

    /// The text for the clipboard, once: the event loop writes it.
    pub fn take_clipboard(&mut self) -> Option<String> {
        self.clipboard.take()
    }
}
