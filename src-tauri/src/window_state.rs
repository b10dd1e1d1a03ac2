//! The main window opens at a size that suits the screen and, after the first run, where the user
//! left it: its size, position and whether it was maximised are kept in `window.json` in the app's
//! data folder when it closes.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tauri::{LogicalPosition, LogicalSize, Manager, Runtime, Window, WindowEvent};

/// Where the window was, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Placement {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    maximized: bool,
}

/// The file the placement is kept in, and the latest placement seen.
pub struct WindowFile {
    path: PathBuf,
    latest: Mutex<Option<Placement>>,
}

impl WindowFile {
    pub fn new(dir: &Path) -> WindowFile {
        WindowFile { path: dir.join("window.json"), latest: Mutex::new(None) }
    }
}

const MIN_WIDTH: f64 = 900.0;
const MIN_HEIGHT: f64 = 600.0;

/// A first window on a screen of `screen` logical pixels: the whole screen on a small one
/// (a 1366×768 laptop), else 85 % of it, at most 1800×1100, centred.
fn first_placement(screen: (f64, f64)) -> Placement {
    let (sw, sh) = screen;
    let (width, height) = if sw <= 1440.0 || sh <= 900.0 {
        (sw, sh)
    } else {
        ((sw * 0.85).min(1800.0), (sh * 0.85).min(1100.0))
    };
    let (width, height) = (width.max(MIN_WIDTH.min(sw)), height.max(MIN_HEIGHT.min(sh)));
    Placement {
        x: ((sw - width) / 2.0).max(0.0),
        y: ((sh - height) / 2.0).max(0.0),
        width,
        height,
        maximized: false,
    }
}

/// Sizes and places the main window: as it was left when that still fits a screen, else for the
/// screen it opens on.
pub fn restore<R: Runtime>(app: &tauri::App<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    let Some(file) = app.try_state::<WindowFile>() else { return };
    let Ok(Some(monitor)) = window.current_monitor() else { return };
    let scale = monitor.scale_factor();
    let screen = monitor.size().to_logical::<f64>(scale);
    let saved: Option<Placement> =
        std::fs::read(&file.path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let fits = |p: &Placement| {
        p.width >= MIN_WIDTH
            && p.height >= MIN_HEIGHT
            && p.width <= screen.width + 1.0
            && p.height <= screen.height + 1.0
    };
    let placement = saved.filter(fits).unwrap_or_else(|| first_placement((screen.width, screen.height)));
    let _ = window.set_size(LogicalSize::new(placement.width, placement.height));
    let _ = window.set_position(LogicalPosition::new(placement.x, placement.y));
    if placement.maximized {
        let _ = window.maximize();
    }
}

/// Follows the main window's size and position, and keeps them when it closes.
pub fn track<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let Some(file) = window.try_state::<WindowFile>() else { return };
    match event {
        WindowEvent::Resized(_) | WindowEvent::Moved(_) => {
            let scale = window.scale_factor().unwrap_or(1.0);
            let maximized = window.is_maximized().unwrap_or(false);
            let (Ok(size), Ok(position)) = (window.inner_size(), window.outer_position()) else { return };
            let (size, position) = (size.to_logical::<f64>(scale), position.to_logical::<f64>(scale));
            if let Ok(mut latest) = file.latest.lock() {
                // A maximised window keeps the size it will return to.
                let keep = latest.filter(|_| maximized);
                *latest = Some(match keep {
                    Some(p) => Placement { maximized: true, ..p },
                    None => Placement {
                        x: position.x,
                        y: position.y,
                        width: size.width,
                        height: size.height,
                        maximized,
                    },
                });
            }
        }
        WindowEvent::CloseRequested { .. } | WindowEvent::Destroyed => {
            let latest = file.latest.lock().ok().and_then(|l| *l);
            if let Some(p) = latest
                && let Ok(bytes) = serde_json::to_vec(&p)
            {
                if let Some(dir) = file.path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                let _ = std::fs::write(&file.path, bytes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::first_placement;

    #[test]
    fn a_small_screen_gets_the_whole_screen_and_a_large_one_a_centred_window() {
        let small = first_placement((1366.0, 768.0));
        assert_eq!((small.width, small.height, small.x, small.y), (1366.0, 768.0, 0.0, 0.0));
        let large = first_placement((2560.0, 1440.0));
        assert_eq!((large.width, large.height), (1800.0, 1100.0));
        assert_eq!((large.x, large.y), (380.0, 170.0));
        let hd = first_placement((1920.0, 1080.0));
        assert_eq!((hd.width, hd.height), (1632.0, 918.0));
    }
}
