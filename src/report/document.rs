//! A small document model, so the after-action report is written once and
//! rendered twice: Markdown (report.md) and self-contained HTML (report.html).

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
    /// A chart by file stem, with its title and its SVG text (for HTML).
    Chart {
        name: String,
        title: String,
        svg: String,
    },
}

pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Heading(level, text) => out.push_str(&format!("{} {text}\n\n", "#".repeat(usize::from(*level)))),
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {i}\n"));
                }
                out.push('\n');
            }
            Block::Table(headers, rows) => {
                let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
                out.push_str(&format!("| {} |\n", headers.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")));
                out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
                for r in rows {
                    out.push_str(&format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
                }
                out.push('\n');
            }
            Block::Chart { name, title, .. } => {
                out.push_str(&format!("![{title}]({name}.png)\n\n[SVG]({name}.svg)\n\n"));
            }
        }
    }
    out
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Markdown's `**bold**` and `` `code` `` inside cells and paragraphs, as HTML.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let (mut bold, mut code) = (false, false);
    let escaped = escape(text);
    let mut rest = escaped.as_str();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**") {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('`') {
            out.push_str(if code { "</code>" } else { "<code>" });
            code = !code;
            rest = r;
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if bold {
        out.push_str("</strong>");
    }
    if code {
        out.push_str("</code>");
    }
    out
}

const STYLE: &str = "body{font-family:DejaVu Sans,Verdana,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}\
h1{border-bottom:3px solid #0072b2;padding-bottom:.3em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #bbb;padding:.35em .6em;text-align:left;vertical-align:top}\
th{background:#e8f1f8}tr:nth-child(even) td{background:#f7f7f7}figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}\
figure svg{max-width:100%;height:auto}code{background:#f0f0f0;padding:0 .2em}\
@media print{body{max-width:none}figure{page-break-inside:avoid}}";

pub fn to_html(title: &str, blocks: &[Block]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    );
    for b in blocks {
        match b {
            Block::Heading(level, text) => out.push_str(&format!("<h{level}>{}</h{level}>\n", inline(text))),
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", inline(text))),
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    out.push_str(&format!("<li>{}</li>\n", inline(i)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(headers, rows) => {
                out.push_str("<table>\n<thead><tr>");
                for h in headers {
                    out.push_str(&format!("<th>{}</th>", inline(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        out.push_str(&format!("<td>{}</td>", inline(c)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart { title, svg, .. } => {
                out.push_str(&format!(
                    "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>\n",
                    escape(title),
                    svg.trim()
                ));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_emphasis_becomes_html_and_text_is_escaped() {
        assert_eq!(inline("**P** <b> `x`"), "<strong>P</strong> &lt;b&gt; <code>x</code>");
        let md = to_markdown(&[Block::Table(vec!["a".into()], vec![vec!["x|y".into()]])]);
        assert_eq!(md, "| a |\n|---|\n| x\\|y |\n\n");
    }
}
