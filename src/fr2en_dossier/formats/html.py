"""``review.html``: one self-contained page to read French and English side by side.

Per document, one row per segment: its key (the PO msgctxt / TMX tuid), the French with its
glossary hits, the English with the hits' target terms, and the QA flags as badges. Hits show
their glossary entry on hover; source fixes (corrections of the French) are marked apart.
Totals and a flag filter sit on top. Inline CSS and JS only: nothing is fetched. Every text is
escaped with :func:`html.escape`.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from .. import __version__
from ..atomic import atomic_write_text
from ..model import (
    BOILERPLATE_FLAG,
    Segment,
    by_document,
)
from .notes import hit_note
from .report import RunInfo, report_totals

Span = tuple[int, int, str, str]  # start, end, CSS class, title


def write_review_html(
    segments: list[Segment], path: str | os.PathLike, run: RunInfo | None = None
) -> Path:
    """Write the review page of ``segments`` to ``path`` (atomically)."""
    return atomic_write_text(path, render_review_html(segments, run))


def render_review_html(segments: list[Segment], run: RunInfo | None = None) -> str:
    """The review page of ``segments`` as one HTML string."""
    totals = report_totals(segments)
    docs = by_document(segments)
    formats = {d.stem: d.format for d in run.documents} if run is not None else {}
    body = "\n".join(
        _document(doc, segs, formats.get(doc, "")) for doc, segs in docs.items()
    )
    return _PAGE.format(
        title=escape(f"fr2en review — {totals['documents']} documents, {len(segments)} segments"),
        css=_CSS,
        js=_JS,
        run=_run_line(run),
        run_id=escape(run.id if run is not None else ""),
        tiles=_tiles(totals, flagged=sum(1 for s in segments if _flagged(s))),
        filters=_filters(totals["flags"]),
        toc=_toc(docs),
        body=body,
    )


def _run_line(run: RunInfo | None) -> str:
    parts = [f"fr2en-dossier {escape(__version__)}"]
    if run is not None:
        parts.append(escape(run.engine or "machine translation") if run.mt else "no MT (--no-mt)")
        parts.append(f"glossary {escape(run.glossary)}" if run.glossary else "no glossary")
        if run.xml_chars_dropped:
            parts.append(f"{run.xml_chars_dropped} XML-invalid characters dropped from the TMX")
    return " · ".join(parts)


def _tiles(totals: dict, *, flagged: int) -> str:
    origins = totals["origins"]
    tiles = [
        ("documents", totals["documents"], ""),
        ("segments", totals["segments"], ""),
        ("translated", totals["translated"], _percent(totals["translated"], totals["segments"])),
        (
            "machine",
            origins.get("mt", 0) + origins.get("cache", 0),
            f"{origins.get('cache', 0)} from cache",
        ),
        ("reviewed", origins.get("review", 0), "from the review memory"),
        ("flagged", flagged, "segments with a QA flag"),
    ]
    return "\n".join(
        f'<div class="tile"><b>{value}</b><span>{escape(label)}</span>'
        f"<small>{escape(note)}</small></div>"
        for label, value, note in tiles
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else ""


def _filters(flag_counts: dict[str, int]) -> str:
    chips = [
        f'<label class="chip flag-{escape(name)}" title="show segments flagged {escape(name)}">'
        f'<input type="checkbox" data-flag="{escape(name)}">'
        f"{escape(name.replace('-', ' '))} <b>{count}</b></label>"
        for name, count in flag_counts.items()
    ]
    return "\n".join(chips)


def _toc(docs: dict[str, list[Segment]]) -> str:
    links = []
    for doc, segs in docs.items():
        flagged = sum(1 for s in segs if _flagged(s))
        links.append(
            f'<a href="#doc-{escape(doc)}">{escape(doc)}'
            f" <small>{len(segs)} seg. · {flagged} flagged</small></a>"
        )
    return "\n".join(links)


def _document(doc: str, segs: list[Segment], fmt: str) -> str:
    rows = []
    previous_block = None
    for seg in segs:
        rows.append(_row(seg, new_block=seg.block != previous_block))
        previous_block = seg.block
    return _DOCUMENT.format(
        id=escape(doc), doc=escape(doc), count=len(segs), rows="\n".join(rows),
        format=f' <small class="format">{escape(fmt)}</small>' if fmt else "",
    )


def _row(seg: Segment, *, new_block: bool) -> str:
    classes = ["seg", f"kind-{seg.kind}"]
    if new_block:
        classes.append("block-start")
    if BOILERPLATE_FLAG in seg.flags:
        classes.append("muted")
    key = escape(seg.key)
    return (
        f'<tr class="{escape(" ".join(classes))}" id="seg-{key}" '
        f'data-flags="{escape(" ".join(seg.flags))}">'
        f'<td class="key"><a href="#seg-{key}" title="PO msgctxt / TMX tuid">'
        f'<span class="stem">{escape(seg.doc)}</span><wbr><b>:{seg.block}:{seg.index}</b></a>'
        f'<span class="kind">{escape(seg.kind)}</span></td>'
        f'<td class="fr" lang="fr">{_source_cell(seg)}</td>'
        f'<td class="en" lang="en">{_target_cell(seg)}</td>'
        f'<td class="flags">{_badges(seg)}</td></tr>'
    )


def _source_cell(seg: Segment) -> str:
    spans = []
    for hit in seg.hits:
        start, end = hit.start - seg.start, hit.end - seg.start
        if 0 <= start < end <= len(seg.source):
            spans.append((start, end, f"hit hit-{hit.kind}", hit_note(hit, seg.target or "")))
    cell = _marked(seg.source, spans)
    if seg.engine_input is not None and seg.engine_input != seg.source:
        cell += f'<div class="mt-input" title="text sent to MT">{escape(seg.engine_input)}</div>'
    return cell


def _target_cell(seg: Segment) -> str:
    if not seg.target or not seg.target.strip():
        why = "boilerplate: not translated" if BOILERPLATE_FLAG in seg.flags else "no translation"
        return f'<span class="none">{why}</span>'
    spans = [
        (hit.en_start, hit.en_end, f"hit hit-{hit.kind}", hit_note(hit, seg.target))
        for hit in seg.hits
        if hit.en_start is not None and hit.en_end is not None
    ]
    cell = _marked(seg.target, spans)
    if seg.origin == "review":
        cell += ' <span class="origin">reviewed</span>'
    return cell


def _marked(text: str, spans: list[Span]) -> str:
    """``text`` escaped, each span wrapped in a titled <mark> (overlapping spans are dropped)."""
    out, pos = [], 0
    for start, end, cls, title in sorted(spans):
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{escape(cls)}" title="{escape(title)}">')
        out.append(f"{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _badges(seg: Segment) -> str:
    return "".join(
        f'<span class="badge flag-{escape(name)}" title="{escape(_flag_detail(seg, name))}">'
        f"{escape(name.replace('-', ' '))}</span>"
        for name in seg.flags
    )


def _flag_detail(seg: Segment, name: str) -> str:
    """A hover text saying why ``seg`` carries flag ``name`` (its reason, set by QA)."""
    return seg.reasons.get(name, name)


def _flagged(seg: Segment) -> bool:
    """Whether ``seg`` has a flag for the reviewer (boilerplate is not one)."""
    return any(f != BOILERPLATE_FLAG for f in seg.flags)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="fr2en-dossier">
<meta name="fr2en-run-id" content="{run_id}">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<div class="top">
<h1>French → English review</h1>
<p class="run">{run}</p>
<input type="search" id="search" placeholder="Find text…" aria-label="find text">
</div>
<div class="tiles">
{tiles}
</div>
<div class="bar">
<label class="chip only"><input type="checkbox" id="only-flagged">only flagged</label>
{filters}
<span id="shown" aria-live="polite"></span>
</div>
<p class="legend">Glossary: <mark class="hit hit-term">term</mark>
<mark class="hit hit-keep">kept name</mark> <mark class="hit hit-fix">source fix</mark>
(hover for the entry) · the key is the PO <code>msgctxt</code> and TMX <code>tuid</code></p>
<nav class="toc">{toc}</nav>
</header>
<main>
{body}
</main>
<script>{js}</script>
</body>
</html>
"""

_DOCUMENT = """<section class="doc" id="doc-{id}">
<h2>{doc}{format} <small class="count" data-total="{count}">{count} segments</small></h2>
<table>
<colgroup><col class="c-key"><col class="c-text"><col class="c-text"><col class="c-flags">
</colgroup>
<thead><tr><th>Key</th><th>French</th><th>English</th><th>Flags</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p class="empty" hidden>No segment of this document matches the filter.</p>
</section>"""

_CSS = """
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2430; --soft: #5d6675; --line: #e3e6eb;
  --term: #fff1b8; --keep: #dcebff; --fix: #ffd9d6; --fix-ink: #b3261e; --accent: #2f6fde; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181d; --card: #1e2229; --ink: #e6e9ee; --soft: #9aa3b2; --line: #2e343d;
    --term: #5a4a12; --keep: #1f3d66; --fix: #5c2320; --fix-ink: #ff9b93; --accent: #7aa7ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: var(--card); border-bottom: 1px solid var(--line); padding: 16px 28px 8px; }
.top { display: flex; align-items: baseline; gap: 18px; flex-wrap: wrap; }
h1 { font-size: 21px; margin: 0; }
.run { margin: 0; color: var(--soft); font-size: 13px; }
.tiles { display: flex; gap: 10px; margin: 14px 0 10px; flex-wrap: wrap; }
.tile { background: var(--bg); border: 1px solid var(--line); border-radius: 10px;
  padding: 8px 14px; min-width: 118px; display: flex; flex-direction: column; }
.tile b { font-size: 22px; line-height: 1.2; }
.tile span { font-size: 13px; }
.tile small { color: var(--soft); font-size: 11px; min-height: 1em; }
.bar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px;
  align-items: center; padding: 8px 0; background: var(--card); }
.chip { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px 3px 6px;
  border: 1px solid var(--line); border-radius: 999px; font-size: 13px; cursor: pointer;
  user-select: none; background: var(--card); }
.chip b { font-weight: 600; }
.chip:has(input:checked) { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent) inset; }
.chip input { margin: 0; }
#search { margin-left: auto; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px;
  font: inherit; font-size: 13px; background: var(--bg); color: var(--ink); min-width: 200px; }
#shown { margin-left: auto; color: var(--soft); font-size: 13px; }
.legend { margin: 2px 0 6px; font-size: 12px; color: var(--soft); }
.toc { display: flex; gap: 6px 16px; flex-wrap: wrap; font-size: 13px; padding-bottom: 6px; }
.toc a { color: var(--accent); text-decoration: none; }
.toc small { color: var(--soft); }
main { padding: 8px 28px 48px; }
.doc { margin-top: 22px; }
h2 { font-size: 16px; margin: 0 0 8px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
h2 small { font: 13px system-ui, sans-serif; color: var(--soft); margin-left: 8px; }
table { width: 100%; border-collapse: separate; border-spacing: 0; background: var(--card);
  border: 1px solid var(--line); border-radius: 10px; overflow: hidden; table-layout: fixed; }
col.c-key { width: 172px; } col.c-flags { width: 150px; } col.c-text { width: auto; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em;
  color: var(--soft); padding: 8px 12px; border-bottom: 1px solid var(--line); }
td { vertical-align: top; padding: 7px 12px; border-top: 1px solid var(--line);
  overflow-wrap: anywhere; }
tbody tr:first-child td { border-top: 0; }
tr.seg:not(.block-start) td { border-top-color: transparent; padding-top: 2px; }
tr.seg:target td, tr.seg:hover td { background: color-mix(in srgb, var(--accent) 6%, transparent); }
td.key a { font: 11px ui-monospace, "DejaVu Sans Mono", monospace; color: var(--soft);
  text-decoration: none; display: block; }
td.key { overflow-wrap: normal; }
td.key a b { color: var(--ink); font-weight: 600; }
td.key .kind { font-size: 10px; color: var(--soft); opacity: .8; }
tr.seg:not(.block-start) td.key .kind { display: none; }
tr.kind-heading td.fr, tr.kind-heading td.en { font-weight: 650; }
tr.muted td.fr, tr.muted td.en { color: var(--soft); font-style: italic; }
td.fr { border-right: 1px dashed var(--line); }
mark.hit { color: inherit; border-radius: 3px; padding: 0 2px; cursor: help; }
mark.hit-term { background: var(--term); }
mark.hit-keep { background: var(--keep); }
mark.hit-fix { background: var(--fix); text-decoration: underline wavy var(--fix-ink);
  text-underline-offset: 3px; }
td.en mark.hit-fix { text-decoration: none; }
td.fr mark.hit-fix::after, .legend mark.hit-fix::after { content: "fix"; font-size: 9px;
  vertical-align: super; margin-left: 2px; color: var(--fix-ink); font-weight: 700; }
.mt-input { margin-top: 3px; font-size: 12px; font-weight: normal; color: var(--soft); }
.mt-input::before { content: "MT input: "; font-weight: 600; }
.none { color: var(--soft); font-style: italic; }
.origin { font-size: 10px; padding: 1px 6px; border-radius: 999px; vertical-align: middle;
  background: #d8f3dc; color: #1b5e20; }
.badge { display: inline-block; font-size: 11px; line-height: 1.6; padding: 0 7px;
  margin: 0 4px 4px 0; border-radius: 999px; cursor: help; white-space: nowrap; }
.badge.flag-term-missing { background: #fde2e1; color: #9f1c13; }
.badge.flag-number-mismatch { background: #ffe8cc; color: #8a4b00; }
.badge.flag-untranslated { background: #e9e3ff; color: #4b2ea8; }
.badge.flag-length-ratio { background: #d9f0ff; color: #035a8c; }
.badge.flag-boilerplate { background: #eceff3; color: #4a5361; }
.badge.flag-truncated { background: #ffd6e8; color: #8c1050; }
.chip.flag-term-missing b { color: #c0271d; } .chip.flag-number-mismatch b { color: #b86400; }
.chip.flag-untranslated b { color: #5b3cc4; } .chip.flag-length-ratio b { color: #0470ad; }
.chip.flag-truncated b { color: #b0136a; }
.empty { color: var(--soft); font-style: italic; margin: 6px 2px; }
"""

_JS = """
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.seg"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-flag]"));
  var only = document.getElementById("only-flagged");
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.doc"));

  function flagsOf(row) {
    return row.getAttribute("data-flags").split(" ").filter(function (f) { return f; });
  }

  function apply() {
    var wanted = boxes.filter(function (b) { return b.checked; })
                      .map(function (b) { return b.getAttribute("data-flag"); });
    var text = search.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (row) {
      var flags = flagsOf(row);
      var show = (!only.checked || flags.some(function (f) { return f !== "boilerplate"; }))
        && (!wanted.length || wanted.some(function (f) { return flags.indexOf(f) >= 0; }))
        && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !show;
      if (show) { visible += 1; }
    });
    sections.forEach(function (section) {
      var count = section.querySelector(".count");
      var total = Number(count.getAttribute("data-total"));
      var n = section.querySelectorAll("tr.seg:not([hidden])").length;
      count.textContent = n === total ? total + " segments" : n + " of " + total + " segments";
      section.querySelector("table").hidden = n === 0;
      section.querySelector(".empty").hidden = n !== 0;
    });
    shown.textContent = "Showing " + visible + " of " + rows.length + " segments";
  }

  // A link such as review.html#filter=number-mismatch,untranslated opens with those flags on.
  var match = /^#filter=(.*)$/.exec(window.location.hash);
  if (match) {
    decodeURIComponent(match[1]).split(",").forEach(function (name) {
      if (name === "flagged") { only.checked = true; }
      boxes.forEach(function (b) {
        if (b.getAttribute("data-flag") === name) { b.checked = true; }
      });
    });
  }
  boxes.concat([only]).forEach(function (b) { b.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  apply();
})();
"""
