//! The report as one self-contained HTML file: inline CSS, inline SVG diagrams, nothing fetched.
//! Print styles give A4 pages, a chapter per page and tables that do not split a row.

use super::{Block, Report, Table, Tone};
use crate::xml::escape;

const STYLE: &str = r#"
:root { --ink: #1f2937; --muted: #6b7280; --rule: #d1d5db; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
  font-size: 14px; line-height: 1.5; margin: 0 auto; max-width: 1040px; padding: 32px; }
header.title { border-bottom: 3px solid var(--accent); margin-bottom: 32px; padding: 48px 0 24px; }
header.title h1 { font-size: 34px; margin: 0; }
header.title .subtitle { color: var(--accent); font-size: 20px; margin: 4px 0 24px; }
header.title dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 16px 0 0; }
header.title dt { color: var(--muted); }
header.title dd { margin: 0; }
nav ol { columns: 2; padding-left: 20px; }
nav a { color: var(--accent); text-decoration: none; }
section.chapter { margin-top: 40px; }
h2 { border-bottom: 1px solid var(--rule); font-size: 24px; padding-bottom: 4px; }
h3 { font-size: 18px; margin-top: 28px; }
h4 { font-size: 15px; margin: 20px 0 4px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 12px 0 16px; width: 100%; }
th, td { border: 1px solid var(--rule); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
figure { margin: 16px 0; break-inside: avoid; }
.keep { break-inside: avoid; }
figure svg { height: auto; max-width: 100%; }
figcaption { color: var(--muted); font-size: 12.5px; }
blockquote { border-left: 3px solid var(--rule); margin: 10px 0; padding: 2px 12px; }
blockquote footer { color: var(--muted); font-size: 12.5px; }
.note { border-radius: 4px; margin: 10px 0; padding: 8px 12px; }
.note.good { background: #ecfdf5; border-left: 4px solid #059669; }
.note.warning { background: #fffbeb; border-left: 4px solid #d97706; }
.note.info { background: #eff6ff; border-left: 4px solid #2563eb; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; padding: 0; }
  nav { break-after: page; }
  section.chapter { break-before: page; margin-top: 0; }
  h2, h3, h4 { break-after: avoid; }
  table { font-size: 8.5pt; }
}
"#;

fn cell(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("<br>")
}

fn table(t: &Table, out: &mut String) {
    let class = |i: usize| if t.numeric.get(i).copied().unwrap_or(false) { " class=\"num\"" } else { "" };
    out.push_str("<table>\n<thead><tr>");
    for (i, c) in t.columns.iter().enumerate() {
        out.push_str(&format!("<th{}>{}</th>", class(i), escape(c)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            out.push_str(&format!("<td{}>{}</td>", class(i), cell(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn block(b: &Block, out: &mut String) {
    match b {
        Block::Heading { id, text } => {
            out.push_str(&format!("<h3 id=\"{}\">{}</h3>\n", escape(id), escape(text)))
        }
        Block::Subheading { text } => out.push_str(&format!("<h4>{}</h4>\n", escape(text))),
        Block::Text { text } => out.push_str(&format!("<p>{}</p>\n", escape(text))),
        Block::Bullets { items } => {
            out.push_str("<ul>\n");
            for i in items {
                out.push_str(&format!("<li>{}</li>\n", escape(i)));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(t) => table(t, out),
        Block::Figure { caption, svg, .. } => {
            let svg = svg.trim_start_matches(|c| c != '<');
            let svg = match svg.strip_prefix("<?xml") {
                Some(rest) => rest.split_once("?>").map_or(svg, |(_, s)| s.trim_start()),
                None => svg,
            };
            out.push_str(&format!(
                "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
                escape(caption)
            ));
        }
        Block::Quote { text, by } => out.push_str(&format!(
            "<blockquote><p>“{}”</p><footer>{}</footer></blockquote>\n",
            escape(text),
            escape(by)
        )),
        Block::Group { blocks } => {
            out.push_str("<div class=\"keep\">\n");
            for b in blocks {
                block(b, out);
            }
            out.push_str("</div>\n");
        }
        Block::Note { tone, text } => {
            let class = match tone {
                Tone::Good => "good",
                Tone::Warning => "warning",
                Tone::Info => "info",
            };
            out.push_str(&format!("<div class=\"note {class}\">{}</div>\n", escape(text)));
        }
    }
}

/// The report as HTML.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{} — {}</title>\n", escape(&r.title), escape(&r.subtitle)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str("<header class=\"title\">\n");
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n",
        escape(&r.title),
        escape(&r.subtitle)
    ));
    if !r.description.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", escape(&r.description)));
    }
    out.push_str("<dl>\n");
    for (k, v) in r.title_facts() {
        out.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", escape(&k), escape(&v)));
    }
    out.push_str("</dl>\n</header>\n");
    out.push_str("<nav>\n<h2>Contents</h2>\n<ol>\n");
    for c in &r.chapters {
        out.push_str(&format!("<li><a href=\"#{}\">{}</a></li>\n", escape(&c.id), escape(&c.title)));
    }
    out.push_str("</ol>\n</nav>\n");
    for c in &r.chapters {
        out.push_str(&format!(
            "<section class=\"chapter\" id=\"{}\">\n<h2>{}</h2>\n",
            escape(&c.id),
            escape(&c.title)
        ));
        for b in &c.blocks {
            block(b, &mut out);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
