//! The `baton-app` binary: Baton's desktop app.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    baton_app::run()
}
