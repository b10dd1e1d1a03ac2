//! The native menu. Each item only tells the UI which action was chosen (event `menu`, payload the
//! item id); the UI runs the same code as its toolbar, so both stay in step.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

/// Builds the File, Edit, View and Help menus with the usual shortcuts.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str, text: &str, accel: Option<&str>| {
        let b = MenuItemBuilder::with_id(id, text);
        match accel {
            Some(a) => b.accelerator(a).build(app),
            None => b.build(app),
        }
    };
    let file = SubmenuBuilder::new(app, "File")
        .item(&item("new", "New project…", Some("CmdOrCtrl+N"))?)
        .item(&item("open", "Open…", Some("CmdOrCtrl+O"))?)
        .item(&item("open_recent", "Open Recent…", Some("CmdOrCtrl+Shift+O"))?)
        .separator()
        .item(&item("import_bundle", "Import bundle…", Some("CmdOrCtrl+I"))?)
        .item(&item("export_bundle", "Export bundle…", Some("CmdOrCtrl+E"))?)
        .separator()
        .item(&item("import_review", "Import review…", None)?)
        .item(&item("report", "Findings report…", Some("CmdOrCtrl+P"))?)
        .separator()
        .quit()
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&item("undo", "Undo", Some("CmdOrCtrl+Z"))?)
        .item(&item("redo", "Redo", Some("CmdOrCtrl+Shift+Z"))?)
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item("find", "Find in project…", Some("CmdOrCtrl+F"))?)
        .separator()
        .item(&item("zoom_in", "Zoom in", Some("CmdOrCtrl+="))?)
        .item(&item("zoom_out", "Zoom out", Some("CmdOrCtrl+-"))?)
        .item(&item("zoom_reset", "Actual size", Some("CmdOrCtrl+0"))?)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&item("shortcuts", "Keyboard shortcuts", Some("F1"))?)
        .build()?;
    MenuBuilder::new(app).items(&[&file, &edit, &view, &help]).build()
}

/// Forwards a chosen menu item to the UI.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let _ = app.emit("menu", event.id().0.as_str());
}
