//! Entering and leaving the terminal's raw, alternate-screen mode.
//!
//! [`restore`] is idempotent and safe from a panic hook.

use std::io::{self, Stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Held while drawing, so a panic on another thread cannot restore the
/// terminal in the middle of a frame (and a frame never lands after it).
static SCREEN: Mutex<()> = Mutex::new(());

/// The console's terminal; restores the user's terminal when dropped.
pub struct TerminalGuard {
    pub terminal: Term,
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, alternate screen, mouse capture, hidden cursor.
pub fn enter() -> io::Result<TerminalGuard> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture, Hide) {
        restore();
        return Err(e);
    }
    match Terminal::new(CrosstermBackend::new(stdout)) {
        Ok(terminal) => Ok(TerminalGuard { terminal }),
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

/// Draws a frame unless the terminal was given back (after a panic).
/// Returns whether it drew.
pub fn draw<F>(terminal: &mut Term, render: F) -> io::Result<bool>
where
    F: FnOnce(&mut ratatui::Frame),
{
    let _screen = SCREEN.lock().unwrap_or_else(PoisonError::into_inner);
    if !ACTIVE.load(Ordering::SeqCst) {
        return Ok(false);
    }
    terminal.draw(render)?;
    Ok(true)
}

/// Puts `text` on the terminal's clipboard (OSC 52, with the screen's
/// lock, as a frame would be written). Unless the terminal was given back.
pub fn copy(terminal: &mut Term, text: &str) -> io::Result<()> {
    use std::io::Write;
    let _screen = SCREEN.lock().unwrap_or_else(PoisonError::into_inner);
    if !ACTIVE.load(Ordering::SeqCst) {
        return Ok(());
    }
    let backend = terminal.backend_mut();
    backend.write_all(crate::model::console_url::osc52(text).as_bytes())?;
    backend.flush()
}

/// Gives the terminal back: cooked mode, main screen, no mouse capture,
/// visible cursor. Does nothing if the console never took it.
pub fn restore() {
    let _screen = lock_screen_briefly();
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(
            io::stdout(),
            DisableMouseCapture,
            LeaveAlternateScreen,
            Show
        );
    }
}

/// The screen lock, waiting a little for a frame in progress; never
/// deadlocks when the panic happened while this thread was drawing.
fn lock_screen_briefly() -> Option<MutexGuard<'static, ()>> {
    let deadline = Instant::now() + Duration::from_millis(200);
    loop {
        match SCREEN.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(TryLockError::WouldBlock) => return None,
        }
    }
}
