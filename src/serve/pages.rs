//! The HTML of each role's page, rendered on the server (maud escapes every
//! value). A page is a frame (title, connection state, the live part) whose
//! live part is re-rendered for every change and sent down the event stream;
//! forms post to the role's own action URLs and work without script too.

use super::views::{DecisionView, TeamView, Views};
use maud::{DOCTYPE, Markup, html};

/// The whole page: `live` is the part the event stream replaces.
pub fn page(title: &str, events_url: &str, live: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - ttx" }
                link rel="stylesheet" href="/assets/console.css";
                script src="/assets/console.js" defer {}
            }
            body data-events=(events_url) {
                header {
                    h1 { (title) }
                    span .conn { "connection: " span #conn { "connecting" } }
                    p #status role="status" {}
                }
                main #live { (live) }
            }
        }
    }
}

fn clocks(v: &Views) -> Markup {
    html! {
        p .clock { span #clock { (v.clock) } @for (nation, time) in &v.local_times { " · " (nation) " " (time) } }
        @if let Some(lines) = &v.ended {
            section #ended { h2 { "Exercise ended" } @for l in lines { p { (l) } } }
        }
    }
}

fn options_form(action: &str, d: &DecisionView, default: Option<&str>, reason_label: &str) -> Markup {
    html! {
        form method="post" action=(action) .decision {
            fieldset {
                legend { (d.id) ": " (d.question) }
                @for (k, (id, text)) in d.options.iter().enumerate() {
                    label {
                        input type="radio" name="option" value=(id) required[true] checked[k == 0];
                        " " strong { (id) } ": " (text)
                        @if default == Some(id.as_str()) { " " em { "(default)" } }
                    }
                }
                label { (reason_label) textarea name="rationale" rows="2" maxlength="2000" {} }
                button type="submit" { "Choose" }
            }
        }
    }
}

/// The controller's live part: clocks, pace, the decision waiting, the MSEL,
/// the table's record and the ground truth.
pub fn controller(v: &Views, base: &str) -> Markup {
    let c = &v.controller;
    html! {
        (clocks(v))
        section .pace {
            h2 { "Pace: " span #pace { (v.pace) } }
            form method="post" action={ (base) "/next" } { button #next type="submit" { "Next inject or decision" } }
            form method="post" action={ (base) "/advance" } {
                input name="by" value="1h" size="6" aria-label="advance by";
                button type="submit" { "Advance" }
            }
            form method="post" action={ (base) "/realtime" } {
                input name="factor" value="60" size="6" aria-label="times real time";
                button #realtime type="submit" { "Real time ×N" }
            }
            form method="post" action={ (base) "/pause" } { button #pause type="submit" { "Pause" } }
            form method="post" action={ (base) "/undo" } { button type="submit" { "Undo last" } }
            form method="post" action={ (base) "/end" } { button #end type="submit" { "End the exercise" } }
        }
        section #decision {
            h2 { "Decision waiting" }
            @match &c.decision {
                Some((d, default)) => {
                    p { "Owner: " strong #owner { (d.owner.as_deref().map_or("controller".to_string(), |o| format!("team {o}"))) } }
                    @if let Some(e) = &d.expect { p { "Expected: " (e) } }
                    (options_form(&format!("{base}/choose"), d, Some(default),
                        if d.owner.is_some() { "Reason for overriding the team" } else { "Rationale" }))
                }
                None => { p { "none" } }
            }
        }
        section {
            h2 { "Master scenario events list" }
            table #msel {
                thead { tr { th { "At" } th { "Inject" } th { "To" } th { "Text" } th { "Expected" } th { "Decision" } th { "State" } } }
                tbody {
                    @for r in &c.msel {
                        tr .delivered[r.delivered.is_some()] {
                            td { (r.at) } td { (r.inject) }
                            td { @if r.to.is_empty() { "all teams" } @else { (r.to.join(", ")) } }
                            td { (r.text) } td { (r.expect.as_deref().unwrap_or("")) }
                            td { (r.decision.as_deref().unwrap_or("")) }
                            td { (r.delivered.as_deref().unwrap_or("upcoming")) }
                        }
                    }
                }
            }
            @if !c.contingencies.is_empty() {
                form method="post" action={ (base) "/inject" } {
                    select name="id" aria-label="contingency inject" { @for id in &c.contingencies { option value=(id) { (id) } } }
                    button type="submit" { "Deliver contingency" }
                }
            }
        }
        section {
            h2 { "Notes and observations" }
            form method="post" action={ (base) "/note" } {
                input name="text" size="60" maxlength="2000" aria-label="note";
                button type="submit" { "Add note" }
            }
            @if !c.objectives.is_empty() {
                form method="post" action={ (base) "/observe" } .observe {
                    select name="objective" aria-label="objective" {
                        @for (id, text) in &c.objectives { option value=(id) { (id) ": " (text) } }
                    }
                    select name="rating" aria-label="rating" {
                        option value="P" { "P: performed without challenges" }
                        option value="S" { "S: some challenges" }
                        option value="M" { "M: major challenges" }
                        option value="U" { "U: unable to be performed" }
                    }
                    input name="text" size="50" maxlength="2000" aria-label="what was seen";
                    button type="submit" { "Add observation" }
                }
            }
            ul #conduct { @for l in &c.conduct { li { (l) } } }
        }
        section #branches {
            h2 { "Branches" }
            ol {
                @for (k, (name, origin, commands)) in c.branches.iter().enumerate() {
                    li .current[k == c.current_branch] {
                        (name) " (" (origin) "; " (commands) " commands)"
                        @if k == c.current_branch { " " strong { "in play" } }
                    }
                }
            }
            @if !c.answered.is_empty() {
                form method="post" action={ (base) "/branch" } {
                    select name="decision" aria-label="answered decision" { @for id in &c.answered { option value=(id) { (id) } } }
                    button type="submit" { "New branch before this decision" }
                }
            }
            @if c.branches.len() > 1 {
                form method="post" action={ (base) "/switch" } {
                    select name="branch" aria-label="branch" {
                        @for (k, (name, _, _)) in c.branches.iter().enumerate() { option value=(k + 1) selected[k == c.current_branch] { (name) } }
                    }
                    button type="submit" { "Switch branch" }
                }
            }
        }
        section #truth {
            h2 { "Ground truth (controller only)" }
            @if let Some(t) = &c.board.truth { p { (t) } }
            @for p in &c.board.csirts {
                @if !p.hidden.is_empty() { h3 { (p.name) } ul { @for h in &p.hidden { li { (h) } } } }
            }
        }
        section {
            h2 { "CSIRTs" }
            @for p in &c.board.csirts { (panel(p)) }
        }
    }
}

fn panel(p: &crate::console::board::CsirtPanel) -> Markup {
    html! {
        div .panel {
            h3 { (p.name) }
            p { (p.open) " open, " (p.queued) " steps queued, " (p.closed) " closed" }
            ul { @for s in &p.staff { li { (s) } } }
            ul .incidents { @for i in &p.incidents { li { (i) } } }
            @if let Some(calls) = &p.calls { p { (calls) } }
            p { (p.trust) }
        }
    }
}

/// A team's live part: its local time, its injects, its decision, its desk.
pub fn team(v: &Views, t: &TeamView, base: &str) -> Markup {
    html! {
        p .clock { span #clock { (v.clock) } " · local time " span #local { (t.local_time) } }
        @if v.ended.is_some() { section #ended { h2 { "Exercise ended" } } }
        section #injects {
            h2 { "Injects" }
            @match t.injects.split_first() {
                Some((latest, earlier)) => {
                    p #latest .big { (latest) }
                    @for i in earlier { p { (i) } }
                }
                None => { p { "none yet" } }
            }
        }
        section #decision {
            h2 { "Your decision" }
            @match &t.decision {
                Some(d) => { (options_form(&format!("{base}/choose"), d, None, "Your reasons")) }
                None => { p { "none waiting" } }
            }
        }
        section { h2 { @if t.panels.len() == 1 { "Your desk" } @else { "Your desks" } } @for p in &t.panels { (panel(p)) } }
        section { h2 { "Messages" } ul #messages { @for m in &t.messages { li { (m) } } } }
    }
}

/// The projector's live part: nothing secret.
pub fn projector(v: &Views) -> Markup {
    let p = &v.projector;
    html! {
        (clocks(v))
        section { p #latest .big { (p.latest_inject.as_deref().unwrap_or("no inject yet")) } }
        section {
            h2 { "Critical services" }
            table #services {
                @for (asset, level) in &p.critical {
                    tr data-asset=(asset) { td { (asset) } td .level { (format!("{level:.0}%")) } td { meter min="0" max="100" value=(format!("{level:.0}")) {} } }
                }
            }
        }
        section { h2 { "Timeline" } ol #timeline { @for l in &p.timeline { li { (l) } } } }
    }
}

pub const CONSOLE_JS: &str = r#""use strict";
// The page's live part follows the event stream; forms post in the background
// and the answer (or the refusal) shows in the status line.
const conn = document.getElementById("conn");
const status = document.getElementById("status");
const es = new EventSource(document.body.dataset.events);
es.onopen = () => { conn.textContent = "live"; };
es.onerror = () => { conn.textContent = "reconnecting"; };
// Keep what is being typed or picked: while a field in the live part has
// focus, hold the newest view and draw it when the field loses focus.
let held = null;
function typing() {
  const live = document.getElementById("live");
  const a = document.activeElement;
  return a && live.contains(a) && (a.tagName === "TEXTAREA" || a.tagName === "SELECT" || a.tagName === "INPUT" && a.type !== "radio");
}
function draw(html, version) {
  document.getElementById("live").innerHTML = html;
  document.body.dataset.version = version;
  held = null;
}
es.addEventListener("views", (e) => {
  if (typing()) { held = [e.data, e.lastEventId]; return; }
  draw(e.data, e.lastEventId);
});
document.addEventListener("focusout", () => {
  setTimeout(() => { if (held && !typing()) draw(held[0], held[1]); }, 0);
});
document.addEventListener("submit", async (e) => {
  const form = e.target;
  if (form.method !== "post") return;
  e.preventDefault();
  status.textContent = "…";
  try {
    const r = await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), headers: { "X-Requested-With": "ttx" } });
    status.textContent = (await r.text()).trim();
    status.className = r.ok ? "ok" : "refused";
  } catch (err) {
    status.textContent = "not sent: " + err;
    status.className = "refused";
  }
});
"#;

pub const CONSOLE_CSS: &str = "\
body{font-family:'DejaVu Sans',system-ui,sans-serif;margin:0 1.5em 2em;font-size:18px;line-height:1.4}\
header{display:flex;flex-wrap:wrap;gap:1em;align-items:baseline;border-bottom:1px solid #999}\
h1{font-size:1.4em;margin:.4em 0}h2{font-size:1.15em;margin:1em 0 .3em}\
.clock{font-size:1.3em;font-weight:bold}.big{font-size:1.6em;font-weight:bold}\
#status{white-space:pre-line}#status.refused{color:#a00}#status.ok{color:#060}\
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .4em;vertical-align:top}\
tr.delivered{color:#555;background:#f2f2f2}.panel{border:1px solid #ccc;padding:.3em .8em;margin:.4em 0}\
form{display:inline-block;margin:.2em .4em .2em 0}form.decision{display:block}\
fieldset label{display:block;margin:.3em 0}textarea{display:block;width:100%;max-width:40em}\
meter{width:12em;height:1.2em}button,input,select{font-size:1em;padding:.3em .5em}";
