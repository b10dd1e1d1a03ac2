//! The report as Markdown (GitHub flavour: pipe tables), diagrams linked as SVG files in a folder
//! beside it.

use super::{Block, Report, Table, Tone};

/// Text safe in a Markdown paragraph: characters that would start markup are escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn cell(text: &str) -> String {
    text.split('\n').map(inline).collect::<Vec<_>>().join("<br>")
}

fn table(t: &Table, out: &mut String) {
    out.push_str(&format!("| {} |\n", t.columns.iter().map(|c| inline(c)).collect::<Vec<_>>().join(" | ")));
    let rule: Vec<&str> = (0..t.columns.len())
        .map(|i| if t.numeric.get(i).copied().unwrap_or(false) { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &t.rows {
        out.push_str(&format!("| {} |\n", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out.push('\n');
}

fn block(b: &Block, folder: &str, out: &mut String) {
    match b {
        Block::Heading { text, .. } => out.push_str(&format!("### {}\n\n", inline(text))),
        Block::Subheading { text } => out.push_str(&format!("#### {}\n\n", inline(text))),
        Block::Text { text } => out.push_str(&format!("{}\n\n", inline(text))),
        Block::Bullets { items } => {
            for i in items {
                out.push_str(&format!("- {}\n", inline(i)));
            }
            out.push('\n');
        }
        Block::Table(t) => table(t, out),
        Block::Figure { file, caption, .. } => {
            out.push_str(&format!("![{}]({folder}/{file})\n\n*{}*\n\n", inline(caption), inline(caption)));
        }
        Block::Quote { text, by } => {
            out.push_str(&format!("> “{}”\n>\n> — {}\n\n", inline(text), inline(by)))
        }
        Block::Group { blocks } => {
            for b in blocks {
                block(b, folder, out);
            }
        }
        Block::Note { tone, text } => {
            let mark = match tone {
                Tone::Good => "✔",
                Tone::Warning => "⚠",
                Tone::Info => "ℹ",
            };
            out.push_str(&format!("> {mark} {}\n\n", inline(text)));
        }
    }
}

/// The report as Markdown; figures link to `folder/FILE.svg`.
pub fn render(r: &Report, folder: &str) -> String {
    let mut out = format!("# {}\n\n**{}**\n\n", inline(&r.title), inline(&r.subtitle));
    if !r.description.is_empty() {
        out.push_str(&format!("{}\n\n", inline(&r.description)));
    }
    for (k, v) in r.title_facts() {
        out.push_str(&format!("- **{}:** {}\n", inline(&k), inline(&v)));
    }
    out.push_str("\n## Contents\n\n");
    for (i, c) in r.chapters.iter().enumerate() {
        out.push_str(&format!("{}. [{}](#{})\n", i + 1, inline(&c.title), c.id));
    }
    out.push('\n');
    for c in &r.chapters {
        out.push_str(&format!("<a id=\"{}\"></a>\n\n## {}\n\n", c.id, inline(&c.title)));
        for b in &c.blocks {
            block(b, folder, &mut out);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
