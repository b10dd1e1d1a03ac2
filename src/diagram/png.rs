//! PNG through resvg, with the machine's fonts (DejaVu Sans first, as the SVG asks).

use crate::error::{Error, Result};

/// The largest PNG written, in pixels; larger diagrams are scaled down to fit.
const MAX_PIXELS: f64 = 48_000_000.0;
const MAX_SIDE: f64 = 16_000.0;

/// Renders an SVG document to PNG bytes at twice its size (less for very large diagrams).
pub fn render_png(svg: &str) -> Result<Vec<u8>> {
    let mut options = resvg::usvg::Options { font_family: "DejaVu Sans".into(), ..Default::default() };
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    fonts.set_sans_serif_family("DejaVu Sans");
    if fonts.is_empty() {
        return Err(Error::invalid(
            "fonts",
            "no fonts are installed, so the PNG would have no text; install a font package such as fonts-dejavu-core, or write .svg",
        ));
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options)
        .map_err(|e| Error::invalid("svg", format!("the diagram could not be rendered: {e}")))?;
    let size = tree.size();
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let scale = 2.0f64.min((MAX_PIXELS / (w * h)).sqrt()).min(MAX_SIDE / w.max(h));
    let (pw, ph) = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(pw.max(1), ph.max(1))
        .ok_or_else(|| Error::invalid("png", format!("a {pw}×{ph} image is too large to render")))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| Error::invalid("png", format!("the PNG could not be encoded: {e}")))
}
