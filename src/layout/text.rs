//! Text measurement and wrapping without a font file.
//!
//! The layout must give the same geometry on every machine, so it cannot ask the fonts installed
//! here how wide a label is. It uses a small table of advance widths instead, close to (and never
//! narrower than) DejaVu Sans, the family the SVG names first and the PNG renderer uses.

/// The advance width of `c` in ems, rounded up from DejaVu Sans.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '!' | '|' | '.' | ',' | ':' | ';' | '\'' | '`' => 0.30,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '\\' | 'I' | 'J' => 0.42,
        'm' | 'w' => 0.92,
        'M' | 'W' | '@' | '%' => 0.96,
        'A'..='Z' => 0.74,
        '0'..='9' => 0.64,
        'a'..='z' => 0.62,
        c if c.is_ascii() => 0.70,
        // CJK and other full-width scripts.
        c if c >= '\u{2E80}' => 1.0,
        _ => 0.72,
    }
}

/// The width of `text` in pixels at `font_size`.
pub fn width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font_size
}

/// A word in pieces that each end after a `_`, `-` or `/` (the last piece ends the word).
fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in word.char_indices() {
        if matches!(c, '_' | '-' | '/') {
            out.push(&word[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// Splits `text` into lines no wider than `max_width` at `font_size`, breaking between words, and
/// inside a word after a `_`, `-` or `/` when the word alone is too wide, and elsewhere only when a
/// piece between those is too wide. At most `max_lines` lines; when the text
/// does not fit, the last line ends with an ellipsis. A line break in `text` starts a new line
/// (a task's name, then its state). Never returns an empty list.
pub fn wrap(text: &str, font_size: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n').filter(|p| !p.trim().is_empty()) {
        wrap_paragraph(paragraph, font_size, max_width, &mut lines);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"), font_size) > max_width {
                last.pop();
            }
            *last = format!("{}…", last.trim_end());
        }
    }
    lines
}

/// Adds the lines of one paragraph of `wrap`.
fn wrap_paragraph(text: &str, font_size: f64, max_width: f64, lines: &mut Vec<String>) {
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if width(&candidate, font_size) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // A word wider than a line breaks after a `_`, `-` or `/` in it ("assessment_" /
        // "completed"); only a piece still too wide is cut where it must.
        for piece in pieces(word) {
            let candidate = format!("{current}{piece}");
            if width(&candidate, font_size) <= max_width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            for c in piece.chars() {
                current.push(c);
                if width(&current, font_size) > max_width && current.chars().count() > 1 {
                    current.pop();
                    lines.push(std::mem::take(&mut current));
                    current.push(c);
                }
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_event_name_breaks_after_its_underscore_not_inside_a_word() {
        let lines = wrap("assessment_completed", 11.0, 120.0, 2);
        assert_eq!(lines, ["assessment_", "completed"]);
        assert!(!crate::layout::check::cut_mid_word("assessment_completed", &lines));
        assert!(crate::layout::check::cut_mid_word(
            "assessment_completed",
            &["assessment_comple".into(), "ted".into()]
        ));
        assert!(!crate::layout::check::cut_mid_word("Charted by RT", &["Charted by".into(), "RT".into()]));
    }

    #[test]
    fn wraps_between_words_and_never_overflows() {
        let lines = wrap("Verify oxygen order in the EMR and confirm with the bedside nurse", 13.0, 140.0, 5);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(width(line, 13.0) <= 140.0, "{line:?} is too wide");
        }
        assert_eq!(lines.join(" "), "Verify oxygen order in the EMR and confirm with the bedside nurse");
    }

    #[test]
    fn cuts_a_word_longer_than_a_line_and_ellipsizes_past_the_limit() {
        let lines = wrap(&"x".repeat(80), 13.0, 100.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| width(l, 13.0) <= 100.0));
        assert_eq!(wrap("", 13.0, 100.0, 3), vec![String::new()]);
    }

    #[test]
    fn a_line_break_starts_a_new_line() {
        let lines = wrap("Reconcile assessment\n(Charted by RT)", 13.0, 300.0, 5);
        assert_eq!(lines, ["Reconcile assessment", "(Charted by RT)"]);
        assert!(!crate::layout::check::cut_mid_word("Reconcile assessment\n(Charted by RT)", &lines));
    }
}
