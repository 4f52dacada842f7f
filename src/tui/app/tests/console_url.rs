//! `y`: the AWS console's page of the selected row, shown and handed to
//! the terminal's clipboard once.

use super::*;

#[test]
fn y_shows_the_page_of_the_selected_row_and_copies_it_once() {
    let mut state = loaded();
    state.update(key('4'));
    state.level_mut().table.select_key("pp-vpclegacy01");
    assert!(state.update(key('y')).is_empty(), "no AWS call");
    let url = state.take_clipboard().expect("the page, for the clipboard");
    assert!(
        url.ends_with("/servicecatalog/home?region=eu-west-1#/provisioned-products/pp-vpclegacy01"),
        "{url}"
    );
    assert!(
        url.starts_with("https://eu-west-1.console.aws.amazon.com/"),
        "{url}"
    );
    assert_eq!(state.take_clipboard(), None, "written once");
    let Some(crate::tui::app::act::Dialog::Report { lines, .. }) = &state.dialog else {
        panic!("{:?}", state.dialog)
    };
    assert!(lines.iter().any(|l| l == &url), "{lines:?}");

    // The stack's events: CloudFormation's page of that stack.
    state.update(code(KeyCode::Esc));
    state.update(key('5'));
    state.update(key('y'));
    let url = state.take_clipboard().unwrap();
    assert!(url.contains("/cloudformation/home?region=eu-west-1#/stacks/events?stackId=arn%3Aaws%3Acloudformation"), "{url}");
}

#[test]
fn y_with_nothing_selected_says_so_and_copies_nothing() {
    let mut state = loaded();
    state.update(key('4'));
    state.update(key('/'));
    for c in "zzz".chars() {
        state.update(key(c));
    }
    state.update(code(KeyCode::Enter));
    state.update(key('y'));
    assert_eq!(state.take_clipboard(), None);
    assert!(
        state.status.text.starts_with("No AWS console page to copy"),
        "{}",
        state.status.text
    );
}
