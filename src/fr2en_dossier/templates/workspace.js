/* fr2en review workspace: documents, segments, edits, statuses, glossary, merge/split. No
   framework: every text goes into the page through textContent, never as HTML. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="fr2en-token"]').content;
  if (location.search.indexOf("token=") >= 0) {  // out of the address bar and the history
    history.replaceState(null, "", location.pathname + location.hash);
  }
  var $ = function (id) { return document.getElementById(id); };
  var rowsBox = $("rows"), status = $("status"), more = $("more");
  var filters = { doc: $("f-doc"), flag: $("f-flag"), origin: $("f-origin"), q: $("f-search"),
    sort: $("f-sort") };
  var PAGE = 100, DOCS = 500, DRAFT_DELAY = 600, RETRY = 3000;
  var STATUS = { machine: "machine", tm: "TM match", draft: "draft", reviewed: "reviewed",
    rejected: "rejected", none: "no English" };
  var state = { docs: [], title: "", offset: 0, total: 0, seq: 0, splitAt: null, termRow: null };
  window.fr2en = { firstRows: null, lastRender: null, renders: 0 };

  function say(text, error) {
    status.textContent = text;
    status.className = error ? "error" : "";
  }

  /* An answer the server gave (status 4xx): not worth sending again as it is. Anything else
     (the network, a 5xx) is worth a retry. */
  function Refused(status, data) {
    this.message = data.error || String(status);
    this.status = status;
    this.segment = data.segment || null;
  }

  function api(path, body, keepalive) {
    var init = { headers: { "X-Fr2en-Token": token }, keepalive: Boolean(keepalive) };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.status >= 400 && r.status < 500) { throw new Refused(r.status, data); }
        if (!r.ok) { throw new Error(data.error || r.statusText); }
        return data;
      });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function button(act, label, title) {
    var b = el("button", "act-" + act, label);
    b.type = "button"; b.dataset.act = act;
    if (title) { b.title = title; }
    return b;
  }

  /* --- documents and progress --------------------------------------------------------- */

  /* The documents come a page at a time (an archive has thousands), those the filter
     above the list finds (their names and titles, on the server). */
  function loadDocs(more) {
    var offset = more ? state.docs.length : 0;
    var p = new URLSearchParams({ q: $("doc-filter").value, offset: offset, limit: DOCS });
    return api("/api/documents?" + p.toString()).then(function (data) {
      state.docs = more ? state.docs.concat(data.documents) : data.documents;
      showRetranslate(data.retranslate.length);
      showProgress(data.progress);
      showAnalysis(data.analysis);
      showScoreboard(data.terms);
      var list = $("doc-list"), select = filters.doc, keep = select.value;
      if (!more) { list.textContent = ""; }
      while (select.options.length > 1) { select.remove(1); }
      data.documents.forEach(function (d) {
        var li = el("li"), a = el("a");
        a.href = "#"; a.dataset.doc = d.doc;
        a.appendChild(el("span", "t", d.title));
        a.appendChild(el("span", "n", d.reviewed + "/" + d.total + (d.flagged ? " · " + d.flagged + " flagged" : "")));
        var bar = el("progress"); bar.max = d.total || 1; bar.value = d.reviewed;
        a.appendChild(bar);
        li.appendChild(a); list.appendChild(li);
      });
      var listed = false;
      state.docs.forEach(function (d) {
        var option = el("option", "", d.title + " (" + d.reviewed + "/" + d.total + ")");
        option.value = d.doc; select.appendChild(option);
        listed = listed || d.doc === keep;
      });
      if (keep && !listed) {  // the document read is not among those listed: still choosable
        var own = el("option", "", state.title || keep);
        own.value = keep; select.appendChild(own);
      }
      select.value = keep;
      $("doc-count").textContent = data.total + " document" + (data.total === 1 ? "" : "s");
      $("doc-more").hidden = state.docs.length >= data.total;
      markCurrentDoc();
    });
  }
  $("doc-more").addEventListener("click", function () { loadDocs(true); });

  function showProgress(p) {
    $("p-bar").max = p.segments || 1;
    $("p-bar").value = p.reviewed;
    $("p-text").textContent = p.reviewed + "/" + p.segments + " segments · " + p.words_reviewed +
      "/" + p.words + " words reviewed";
  }

  /* Words per memory match band, as the run's match stage found them (fr2en analyse). */
  function showAnalysis(a) {
    var body = $("a-rows");
    body.textContent = "";
    a.bands.forEach(function (name) {
      var c = a.total.bands[name], tr = el("tr");
      if (!c.segments) { return; }
      tr.appendChild(el("td", "", /^\d/.test(name) ? name + "%" : name));
      tr.appendChild(el("td", "n", String(c.segments)));
      tr.appendChild(el("td", "n", String(c.words)));
      body.appendChild(tr);
    });
  }

  /* How the glossary's terms came out in the machine translation (WMT 2023's terms): in all,
     then the entries missing somewhere or rendered more than one way. */
  function showScoreboard(board) {
    var t = board.total, p = t.present, list = $("s-list");
    var present = p["as translated"] + p["n-best"] + p["re-decoded"] + p.forced;
    $("s-total").textContent = t.occurrences ? present + " of " + t.occurrences + " present (" +
      p["as translated"] + " as translated, " + p["n-best"] + " n-best, " + p["re-decoded"] +
      " re-decoded, " + p.forced + " forced), " + t.missing + " missing; " +
      (t.entries - t.consistent) + " of " + t.entries + " entries rendered more than one way"
      : "no glossary term in the machine translation";
    list.textContent = "";
    board.entries.filter(function (e) { return e.missing || !e.consistent; }).slice(0, 30).forEach(function (e) {
      var li = el("li", "", e.source + " → " + e.target + ": ");
      li.appendChild(el("span", e.missing ? "s-missing" : "",
        e.missing ? e.missing + " of " + e.segments + " missing" : ""));
      if (!e.consistent) {
        li.appendChild(el("small", "why", Object.keys(e.renderings).map(function (r) {
          return r + " ×" + e.renderings[r]; }).join(", ")));
      }
      list.appendChild(li);
    });
  }

  function markCurrentDoc() {
    Array.prototype.forEach.call(document.querySelectorAll("#doc-list a"), function (a) {
      a.classList.toggle("current", a.dataset.doc === filters.doc.value);
    });
    $("doc-title").textContent = filters.q.value.trim() ? "Found in all documents"
      : (filters.doc.value ? state.title || filters.doc.value : "All documents");
  }

  $("doc-list").addEventListener("click", function (e) {
    var a = e.target.closest("a[data-doc]");
    if (!a) { return; }
    e.preventDefault();
    filters.doc.value = a.dataset.doc;
    reload();
  });
  var findTimer = null;
  $("doc-filter").addEventListener("input", function () {
    clearTimeout(findTimer);
    findTimer = setTimeout(function () { loadDocs(false); }, 150);
  });

  var docsTimer = null;
  function refreshDocsSoon() {
    clearTimeout(docsTimer);
    docsTimer = setTimeout(loadDocs, 800);
  }

  /* --- segments ----------------------------------------------------------------------- */

  /* A search looks in every document; the document menu says where to read otherwise. */
  function query(offset) {
    var doc = filters.q.value.trim() ? "" : filters.doc.value;
    var p = new URLSearchParams({ doc: doc, flag: filters.flag.value,
      origin: filters.origin.value, q: filters.q.value, sort: filters.sort.value,
      offset: offset, limit: PAGE });
    return "/api/segments?" + p.toString();
  }

  function reload() {
    var seq = ++state.seq, started = performance.now();
    markCurrentDoc();
    return api(query(0)).then(function (data) {
      if (seq !== state.seq) { return; }
      rowsBox.textContent = "";
      state.offset = 0;
      state.title = data.title;
      markCurrentDoc();
      show(data);
      window.fr2en.lastRender = performance.now() - started;
      window.fr2en.renders += 1;
      if (window.fr2en.firstRows === null) { window.fr2en.firstRows = performance.now(); }
    }).catch(function (err) { say(err.message, true); });
  }

  function show(data) {
    var frag = document.createDocumentFragment();
    data.segments.forEach(function (seg) { frag.appendChild(renderRow(seg)); });
    rowsBox.appendChild(frag);
    state.offset += data.segments.length;
    state.total = data.total;
    $("count").textContent = data.total + " segment" + (data.total === 1 ? "" : "s");
    more.hidden = state.offset >= data.total;
  }

  function loadMore() {
    var seq = state.seq;
    return api(query(state.offset)).then(function (data) { if (seq === state.seq) { show(data); } });
  }
  more.addEventListener("click", loadMore);

  /* Text cut into pieces [text, class, title] (glossary hits), with the places a search found
     (spans of the same text) marked too. */
  function pieces(box, list, found) {
    var at = 0;
    list.forEach(function (p) {
      var holder = box;
      if (p[1]) { holder = el("mark", p[1]); holder.title = p[2]; box.appendChild(holder); }
      highlighted(holder, p[0], at, found || []);
      at += Array.from(p[0]).length;
    });
  }

  function highlighted(box, text, at, found) {
    var chars = Array.from(text), pos = 0;  // offsets count code points, as the server does
    found.forEach(function (span) {
      var start = Math.max(span[0] - at, pos), end = Math.min(span[1] - at, chars.length);
      if (start >= end) { return; }
      if (start > pos) { box.appendChild(document.createTextNode(chars.slice(pos, start).join(""))); }
      box.appendChild(el("mark", "found", chars.slice(start, end).join("")));
      pos = end;
    });
    if (pos < chars.length) { box.appendChild(document.createTextNode(chars.slice(pos).join(""))); }
  }

  function renderRow(seg) {
    var row = el("article", "row kind-" + seg.kind + " s-" + seg.status + (seg.boilerplate ? " muted" : ""));
    row.dataset.key = seg.key;
    row.dataset.saved = seg.target;
    row.dataset.version = seg.version;
    row.dataset.status = seg.status;
    var meta = el("div", "meta");
    meta.appendChild(el("span", "key", seg.key));
    meta.appendChild(el("span", "kind", seg.kind));
    var badge = el("span", "origin o-" + seg.status, STATUS[seg.status] || seg.status);
    if (seg.rejected) { badge.title = "rejected: " + seg.rejected; }
    meta.appendChild(badge);
    if (seg.risk > 0) {
      var risk = el("span", "risk", "risk " + seg.risk.toFixed(1));
      risk.title = "how much it needs a reviewer: QA flags, how the terms were met, the engine's confidence";
      meta.appendChild(risk);
    }
    if (seg.confidence !== null && seg.confidence !== undefined) {
      meta.appendChild(el("span", "confidence", Math.round(seg.confidence * 100) + "% confident"));
    }
    if (seg.stale) { meta.appendChild(el("span", "stale", "needs re-translation")); }
    row.appendChild(meta);

    var fr = el("div", "fr"), text = el("div", "fr-text");
    fr.lang = "fr";
    pieces(text, seg.fr, seg.found && seg.found.source);
    fr.appendChild(text);
    if (seg.mt_input) { fr.appendChild(el("div", "mt-input", seg.mt_input)); }
    row.appendChild(fr);

    var en = el("div", "en"), area = el("textarea");
    en.lang = "en";
    area.value = seg.target;
    area.rows = Math.max(2, Math.ceil(seg.target.length / 70));
    area.setAttribute("aria-label", "English of " + seg.key);
    if (seg.boilerplate) { area.placeholder = "boilerplate: not translated"; area.readOnly = true; }
    en.appendChild(area);
    if (seg.found && seg.found.target && seg.found.target.length) {
      var found = el("div", "found-en");
      highlighted(found, seg.target, 0, seg.found.target);
      en.appendChild(found);
    }
    if (seg.entries.length) {
      var terms = el("div", "terms"), present = {};
      seg.terms.forEach(function (t) { present[t.target] = t.found; });
      seg.entries.forEach(function (t, n) {
        var chip = el("button", "hit hit-" + t.kind + (present[t.target] ? " found" : " missing"),
          (present[t.target] ? "✓ " : "✗ ") + t.target);
        chip.type = "button"; chip.dataset.insert = t.target;
        chip.title = (n < 9 ? "Alt+" + (n + 1) + ": " : "") + "insert · " + t.kind + " · " +
          t.source + " → " + t.target + (t.comment ? " — " + t.comment : "");
        terms.appendChild(chip);
      });
      en.appendChild(terms);
    }
    row.appendChild(en);

    var flags = el("div", "flags");
    seg.flags.forEach(function (f) {
      var line = el("div", "flag");
      line.appendChild(el("span", "badge flag-" + f[0], f[0].replace(/-/g, " ")));
      if (f[0] !== "boilerplate") {
        var x = el("button", "dismiss", "not an error");
        x.type = "button"; x.dataset.flag = f[0];
        x.title = "dismiss this flag for this English (it comes back if the English changes)";
        line.appendChild(x);
      }
      if (f[1] !== f[0]) { line.appendChild(el("small", "why", f[1])); }
      flags.appendChild(line);
    });
    Object.keys(seg.dismissed).forEach(function (name) {
      var line = el("div", "flag dismissed");
      line.appendChild(el("span", "badge", name.replace(/-/g, " ") + " (dismissed)"));
      var back = el("button", "undismiss", "restore");
      back.type = "button"; back.dataset.flag = name;
      line.appendChild(back);
      if (seg.dismissed[name]) { line.appendChild(el("small", "why", seg.dismissed[name])); }
      flags.appendChild(line);
    });
    row.appendChild(flags);

    var actions = el("div", "actions");
    if (!seg.boilerplate) {
      actions.appendChild(button("confirm", "Confirm", "Ctrl+Enter"));
      if (seg.origin === "review") { actions.appendChild(button("unconfirm", "Un-confirm")); }
      if (seg.rejected) { actions.appendChild(button("unreject", "Un-reject")); }
      else if (seg.target) { actions.appendChild(button("reject", "Reject", "this English needs a new translation")); }
    }
    actions.appendChild(button("merge", "Merge with next"));
    actions.appendChild(button("split", "Split"));
    actions.appendChild(seg.boilerplate ? button("content", "Not boilerplate", "translate it")
      : button("boilerplate", "Boilerplate", "keep it, never translate it"));
    row.appendChild(actions);
    return row;
  }

  function rowOf(node) { return node.closest ? node.closest("article.row") : null; }

  function rowFor(key) {
    return rowsBox.querySelector('article.row[data-key="' + CSS.escape(key) + '"]');
  }

  function replaceRow(row, seg) {
    var fresh = renderRow(seg);
    row.replaceWith(fresh);
    refreshDocsSoon();
    return fresh;
  }

  /* --- editing -------------------------------------------------------------------- */
  /* Every text typed reaches the memory: a draft autosaved after a pause, a review on
     Ctrl+Enter; a save that fails for a reason worth a retry (the network, the server) is
     sent again until it is stored, and once more as the page closes. Each save names the
     version of the segment it was typed on: one made on an older version is refused and the
     other text shown (another tab saved meanwhile); the next save then overrides it. */

  var timers = {}, pending = {};

  function beginEdit(row) {
    if (row.dataset.editing) { return; }
    row.dataset.editing = "1";
    row.dataset.base = row.dataset.version;
    row.dataset.before = row.dataset.saved;
  }

  function endEdit(row) {
    delete row.dataset.editing;
    row.classList.remove("edited");
  }

  function showConflict(row, err) {
    var note = row.querySelector(".conflict") || el("div", "conflict");
    note.textContent = err.message;
    row.querySelector(".en").appendChild(note);
    if (err.segment) { row.dataset.version = err.segment.version; }
  }

  function send(row, kind) {
    var key = row.dataset.key, value = row.querySelector("textarea").value;
    var body = { key: key, target: value, base: Number(row.dataset.version) };
    pending[key] = { kind: kind, body: body };
    return api("/api/" + kind, body).then(function (seg) {
      if (pending[key] && pending[key].body === body) { delete pending[key]; }
      var note = row.querySelector(".conflict");
      if (note) { note.remove(); }
      return seg;
    }, function (err) {
      if (err instanceof Refused) {
        delete pending[key];
        if (err.status === 409 && err.segment) { showConflict(row, err); }
        throw err;
      }
      say(err.message + " — not saved yet, trying again in a few seconds", true);
      return new Promise(function (resolve) { setTimeout(resolve, RETRY); }).then(function () {
        return send(row, kind);
      });
    });
  }

  function saveDraft(row) {
    clearTimeout(timers[row.dataset.key]);
    delete timers[row.dataset.key];
    var area = row.querySelector("textarea");
    if (area.value === row.dataset.saved) { return Promise.resolve(); }
    var value = area.value;
    return send(row, "draft").then(function (seg) {
      row.dataset.saved = value;
      row.dataset.version = seg.version;
      row.dataset.status = seg.status;
      var badge = row.querySelector(".origin");
      badge.textContent = STATUS[seg.status] || seg.status;
      badge.className = "origin o-" + seg.status;
      say("draft saved: " + seg.key);
    }).catch(function (err) { say(err.message, true); });
  }

  function confirmRow(row) {
    clearTimeout(timers[row.dataset.key]);
    delete timers[row.dataset.key];
    return send(row, "confirm").then(function (seg) {
      var fresh = replaceRow(row, seg);
      say("confirmed " + seg.key);
      jump(fresh, "unconfirmed", 1);
    }).catch(function (err) { say(err.message, true); });
  }

  function undoRow(row) {
    var key = row.dataset.key, area = row.querySelector("textarea");
    clearTimeout(timers[key]);
    delete timers[key];
    delete pending[key];
    if (!row.dataset.editing) { return; }
    area.value = row.dataset.before;
    var autosaved = row.dataset.version !== row.dataset.base;
    endEdit(row);
    if (!autosaved) { say("edit undone: " + key); return; }
    api("/api/undo", { key: key, base: Number(row.dataset.base) }).then(function (seg) {
      replaceRow(row, seg).querySelector("textarea").focus();
      say("edit undone: " + key + " (its draft withdrawn)");
    }).catch(function (err) { say(err.message, true); });
  }

  /* A status or a mark: the segment as the server has it afterwards. */
  function act(row, path, body, message) {
    return api(path, body).then(function (seg) {
      replaceRow(row, seg);
      say(message + ": " + seg.key);
    }).catch(function (err) { say(err.message, true); });
  }

  function insertText(area, text) {
    var start = area.selectionStart, end = area.selectionEnd;
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* --- moving between segments --------------------------------------------------- */

  function focusRow(row) {
    var area = row.querySelector("textarea");
    area.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function move(row, step) {
    var target = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    if (!target && step > 0 && !more.hidden) { loadMore(); }
    if (target) { focusRow(target); }
  }

  /* The next (step -1: previous) segment that needs work, is flagged or risky, in this
     document or another: the server knows them all, the page loads what it must (its
     document; the filters dropped when they hide it). The answer comes a moment later: if
     the reviewer has gone to another field meanwhile, the focus stays there. */
  function jump(row, what, step) {
    var from = document.activeElement;
    var p = new URLSearchParams({ key: row ? row.dataset.key : "", what: what, step: step });
    return api("/api/next?" + p.toString()).then(function (found) {
      if (!found.key) {
        say("no other segment " + (what === "unconfirmed" ? "needs work" : "is " + what));
        return;
      }
      var ready = Promise.resolve();
      if (!rowFor(found.key) && filters.doc.value && filters.doc.value !== found.doc) {
        filters.doc.value = found.doc;
        ready = reload();
      }
      return ready.then(function () { return reach(found.key, 50, from); }).then(function (ok) {
        if (ok) { return; }
        filters.q.value = filters.flag.value = filters.origin.value = "";
        return reload().then(function () { return reach(found.key, 50, from); });
      });
    }).catch(function (err) { say(err.message, true); });
  }

  /* Focus the row of ``key`` (unless the reviewer went to another field since ``from`` had
     the focus), loading more rows while there are more; whether it was found. */
  function reach(key, tries, from) {
    var row = rowFor(key);
    if (row) {
      if (!wentElsewhere(from)) { focusRow(row); }
      return Promise.resolve(true);
    }
    if (more.hidden || !tries) { return Promise.resolve(false); }
    return loadMore().then(function () { return reach(key, tries - 1, from); });
  }

  function wentElsewhere(from) {
    var now = document.activeElement;
    return !!now && now !== from && now !== document.body &&
      /^(TEXTAREA|INPUT|SELECT)$/.test(now.tagName);
  }

  /* --- the memory under the active segment: matches, history ------------------------ */
  /* The best three matches (score, where from, when, the French words that differ, the
     English — repaired by the glossary where it could be), each used with a click or
     Ctrl+1..3 (Alt+Shift+1..3 where the browser keeps Ctrl+digit for its tabs); then every
     review and draft of this French with what it changed in the machine translation. */

  function when(stamp) {
    var m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)/.exec(stamp || "");
    return m ? m[1] + "-" + m[2] + "-" + m[3] + " " + m[4] + ":" + m[5] : "";
  }

  function spanned(box, text, spans, cls) {
    var pos = 0;
    (spans || []).forEach(function (span) {
      if (span[0] > pos) { box.appendChild(document.createTextNode(text.slice(pos, span[0]))); }
      box.appendChild(el("mark", cls, text.slice(span[0], span[1])));
      pos = span[1];
    });
    if (pos < text.length) { box.appendChild(document.createTextNode(text.slice(pos))); }
  }

  function showMemory(row) {
    var key = row.dataset.key;
    return api("/api/matches?" + new URLSearchParams({ key: key }).toString()).then(function (data) {
      if (!row.isConnected || row.querySelector(".tm-panel")) { return; }
      row.appendChild(renderMemory(data, row));
    }).catch(function (err) { say(err.message, true); });
  }

  function renderMemory(data) {
    var panel = el("section", "tm-panel");
    panel.setAttribute("aria-label", "translation memory");
    if (!data.matches.length) { panel.appendChild(el("p", "tm-none", "no memory match")); }
    data.matches.forEach(function (m, n) {
      var box = el("div", "match"), head = el("div", "match-head");
      head.appendChild(el("b", "score", m.score + "%"));
      head.appendChild(el("span", "match-from", (m.memory || m.origin) + (m.time ? " · " + when(m.time) : "")));
      var use = button("use", "Use", "Ctrl+" + (n + 1) + " (Alt+Shift+" + (n + 1) + ")");
      use.dataset.n = n;
      head.appendChild(use);
      box.appendChild(head);
      var fr = el("div", "match-fr");
      fr.lang = "fr";
      spanned(fr, m.french, m.match_spans, "differs");
      box.appendChild(fr);
      var en = el("div", "match-en", m.use);
      en.lang = "en";
      box.appendChild(en);
      m.repairs.forEach(function (r) {
        box.appendChild(el("small", "why", "repaired " + r.kind + ": " + r.english_was + " → " + r.english_now));
      });
      panel.appendChild(box);
    });
    panel.dataset.uses = JSON.stringify(data.matches.map(function (m) { return m.use; }));
    if (data.history.length) {
      var details = el("details", "history"), list = el("ol");
      details.appendChild(el("summary", "", "History (" + data.history.length + ")"));
      data.history.forEach(function (h) {
        var li = el("li", h.withdrawn ? "withdrawn" : "");
        li.appendChild(el("span", "h-meta", when(h.time) + " · " + h.origin + (h.withdrawn ? " (withdrawn)" : "") +
          (h.via ? " · " + h.via : "")));
        var text = el("div", "h-text");
        text.lang = "en";
        if (h.diff.length) {
          h.diff.forEach(function (run) {
            text.appendChild(run[0] === "=" ? document.createTextNode(run[1]) : el(run[0] === "+" ? "ins" : "del", "", run[1]));
          });
        } else { text.textContent = h.target; }
        li.appendChild(text);
        list.appendChild(li);
      });
      details.appendChild(list);
      panel.appendChild(details);
    }
    return panel;
  }

  function useMatch(row, n) {
    var panel = row.querySelector(".tm-panel"), area = row.querySelector("textarea");
    var uses = panel ? JSON.parse(panel.dataset.uses || "[]") : [];
    if (n >= uses.length || area.readOnly) { say("no memory match " + (n + 1), true); return; }
    area.focus();
    area.select();
    insertText(area, uses[n]);
    say("memory match " + (n + 1) + " used: a draft until you confirm it");
  }

  /* --- concordance ----------------------------------------------------------------- */

  function concordance(text) {
    var box = $("concordance");
    if (!text.trim()) { box.hidden = true; return; }
    return api("/api/concordance?" + new URLSearchParams({ q: text }).toString()).then(function (data) {
      var list = $("k-list");
      list.textContent = "";
      $("k-message").textContent = data.found.length ? data.found.length + " found for “" + text + "”" : "nothing found for “" + text + "”";
      data.found.forEach(function (f) {
        var li = el("li", "k-" + f.where), fr = el("div", "k-fr"), en = el("div", "k-en");
        fr.lang = "fr"; en.lang = "en";
        spanned(fr, f.french, f.french_spans, "found");
        spanned(en, f.english, f.english_spans, "found");
        li.appendChild(el("span", "k-where", f.where + " · " + f.source + (f.time ? " · " + when(f.time) : "")));
        li.appendChild(fr);
        li.appendChild(en);
        list.appendChild(li);
      });
      box.hidden = false;
    }).catch(function (err) { say(err.message, true); });
  }

  $("k-form").addEventListener("submit", function (e) {
    e.preventDefault();
    concordance($("k-search").value);
  });
  $("k-close").addEventListener("click", function () { $("concordance").hidden = true; });

  /* --- events ---------------------------------------------------------------------- */

  rowsBox.addEventListener("input", function (e) {
    if (e.target.tagName !== "TEXTAREA") { return; }
    var row = rowOf(e.target);
    beginEdit(row);
    clearTimeout(timers[row.dataset.key]);
    timers[row.dataset.key] = setTimeout(function () { saveDraft(row); }, DRAFT_DELAY);
    row.classList.add("edited");
  });

  rowsBox.addEventListener("keydown", function (e) {
    if (e.target.tagName !== "TEXTAREA") { return; }
    var row = rowOf(e.target), area = e.target, key = e.key;
    if (key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (!area.readOnly) { confirmRow(row); }
    } else if (key === "Escape") {
      e.preventDefault();
      undoRow(row);
    } else if (e.altKey && (key === "ArrowDown" || key === "ArrowUp")) {
      e.preventDefault();
      move(row, key === "ArrowDown" ? 1 : -1);
    } else if (e.altKey && /^[npfr]$/i.test(key)) {
      e.preventDefault();
      var what = { n: "unconfirmed", p: "unconfirmed", f: "flagged", r: "risky" }[key.toLowerCase()];
      jump(row, what, key.toLowerCase() === "p" ? -1 : 1);
    } else if (e.ctrlKey && e.shiftKey && key.toLowerCase() === "s") {
      e.preventDefault();
      if (!area.readOnly) { insertText(area, row.querySelector(".fr-text").textContent); }
    } else if ((e.ctrlKey && !e.altKey && !e.shiftKey || e.altKey && e.shiftKey) &&
               /^Digit[1-3]$/.test(e.code)) {
      e.preventDefault();
      useMatch(row, Number(e.code.slice(5)) - 1);
    } else if (e.altKey && /^[1-9]$/.test(key)) {
      e.preventDefault();
      var chip = row.querySelectorAll(".terms [data-insert]")[Number(key) - 1];
      if (chip && !area.readOnly) { insertText(area, chip.dataset.insert); }
    }
  });

  rowsBox.addEventListener("focusin", function (e) {
    var row = rowOf(e.target);
    Array.prototype.forEach.call(document.querySelectorAll("article.row.active"), function (r) {
      if (r !== row) { r.classList.remove("active"); }
    });
    if (row) {
      row.classList.add("active");
      if (!row.querySelector(".tm-panel")) { showMemory(row); }
    }
  });

  rowsBox.addEventListener("mousedown", function (e) {
    if (e.target.closest("[data-insert]")) { e.preventDefault(); }  // keep the caret
  });

  rowsBox.addEventListener("click", function (e) {
    var row = rowOf(e.target);
    if (!row) { return; }
    var chip = e.target.closest("[data-insert]"), area = row.querySelector("textarea");
    if (chip) {
      if (!area.readOnly) { if (document.activeElement !== area) { area.focus(); } insertText(area, chip.dataset.insert); }
      return;
    }
    var flag = e.target.closest("button[data-flag]");
    if (flag) {
      var undo = flag.classList.contains("undismiss");
      var reason = undo ? "" : window.prompt("Why is this " + flag.dataset.flag + " flag not an error?", "");
      if (reason === null) { return; }
      act(row, "/api/dismiss", { key: row.dataset.key, flag: flag.dataset.flag, reason: reason, undo: undo },
        undo ? "flag restored" : "flag dismissed");
      return;
    }
    var b = e.target.closest("button[data-act]");
    if (!b) { return; }
    var key = row.dataset.key, name = b.dataset.act;
    if (name === "use") { useMatch(row, Number(b.dataset.n)); return; }
    if (name === "confirm") { confirmRow(row); }
    if (name === "unconfirm") { act(row, "/api/unconfirm", { key: key }, "review taken back, kept as a draft"); }
    if (name === "reject") {
      var why = window.prompt("Why is this English rejected?", "");
      if (why !== null) { act(row, "/api/reject", { key: key, reason: why }, "rejected"); }
    }
    if (name === "unreject") { act(row, "/api/reject", { key: key, undo: true }, "no longer rejected"); }
    if (name === "merge") { structural("/api/merge", { key: key }, row); }
    if (name === "split") {
      if (!state.splitAt || state.splitAt.key !== key) {
        say("click in the French where the sentence should end, then Split", true);
        return;
      }
      structural("/api/split", { key: key, offset: state.splitAt.offset }, row);
    }
    if (name === "content" || name === "boilerplate") {
      structural("/api/kind", { key: key, boilerplate: name === "boilerplate" }, row);
    }
  });

  /* Merge, split, kind: what was typed is saved first; a change that would discard a review
     is asked about before it is made. */
  function structural(path, body, row) {
    say("working…");
    var typed = row ? saveDraft(row) : Promise.resolve();
    return typed.then(function () { return api(path, body); }).catch(function (err) {
      if (err instanceof Refused && err.status === 409 && !body.discard && window.confirm(err.message)) {
        body.discard = true;
        return api(path, body);
      }
      throw err;
    }).then(function (change) {
      return loadDocs().then(reload).then(function () { say(change.message); });
    }).catch(function (err) { say(err.message, true); });
  }

  /* The page closes: every text typed and not yet stored goes out once more. */
  window.addEventListener("pagehide", function () {
    Object.keys(timers).forEach(function (key) {
      var row = rowFor(key);
      if (row) {
        pending[key] = { kind: "draft", body: { key: key, target: row.querySelector("textarea").value,
          base: Number(row.dataset.version) } };
      }
    });
    Object.keys(pending).forEach(function (key) {
      api("/api/" + pending[key].kind, pending[key].body, true).catch(function () {});
    });
  });

  /* --- French selection: split position, glossary entry ------------------------------ */

  function frenchSelection() {
    var sel = window.getSelection();
    if (!sel.rangeCount) { return null; }
    var range = sel.getRangeAt(0);
    var node = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentNode;
    var text = node.closest ? node.closest(".fr-text") : null;
    if (!text || !text.contains(range.endContainer)) { return null; }
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    // Python counts code points, JavaScript strings UTF-16 units: count as the server does.
    var offset = Array.from(before.toString()).length;
    return { row: rowOf(text), offset: offset, text: range.toString(), rect: range.getBoundingClientRect() };
  }

  document.addEventListener("selectionchange", function () {
    var s = frenchSelection(), b = $("add-term");
    if (s) { state.splitAt = { key: s.row.dataset.key, offset: s.offset }; }
    if (s && s.text.trim()) {
      b.hidden = false;
      b.style.top = Math.max(4, s.rect.top - 36) + "px";
      b.style.left = Math.max(4, Math.min(window.innerWidth - 150, s.rect.left)) + "px";
      b.dataset.source = s.text.trim();
      state.termRow = s.row;
    } else if (!b.matches(":hover")) {
      b.hidden = true;
    }
  });

  function resetTermForm() {
    ["t-target", "t-comment"].forEach(function (id) { $(id).value = ""; });
    ["t-exact", "t-plural", "t-feminine"].forEach(function (id) { $(id).checked = false; });
    $("t-kind").value = "term";
  }

  $("add-term").addEventListener("mousedown", function (e) { e.preventDefault(); });
  $("add-term").addEventListener("click", function () {
    var panel = $("term-panel"), area = state.termRow && state.termRow.querySelector("textarea");
    resetTermForm();
    $("t-source").value = this.dataset.source;
    $("t-target").value = area && area.selectionEnd > area.selectionStart
      ? area.value.slice(area.selectionStart, area.selectionEnd) : "";
    $("t-message").textContent = "";
    panel.hidden = false;
    this.hidden = true;
    $("t-target").focus();
  });
  $("t-cancel").addEventListener("click", function () { $("term-panel").hidden = true; });

  $("term-panel").addEventListener("submit", function (e) {
    e.preventDefault();
    var message = $("t-message");
    message.className = "";
    message.textContent = "adding…";
    api("/api/glossary", { source: $("t-source").value, target: $("t-target").value,
      kind: $("t-kind").value, comment: $("t-comment").value, exact_case: $("t-exact").checked,
      plural: $("t-plural").checked, feminine: $("t-feminine").checked
    }).then(function (change) {
      message.textContent = change.message + (change.warnings.length ? " — warning: " +
        change.warnings.join("; ") : "");
      say(change.message);
      resetTermForm();
      $("t-source").value = "";
      showRetranslate(change.retranslate.length);
      reload();
    }).catch(function (err) {
      message.className = "error";
      message.textContent = "refused: " + err.message;
    });
  });

  function showRetranslate(n) {
    var b = $("retranslate");
    b.hidden = n === 0;
    b.textContent = "Re-translate " + n + " segment" + (n === 1 ? "" : "s");
  }

  $("retranslate").addEventListener("click", function () {
    structural("/api/retranslate", {}).then(function () { return loadDocs(false); });
  });

  /* --- glossary candidates: accept (as `fr2en glossary add`), edit, decline --------- */

  function renderCandidate(c) {
    var li = el("li", "candidate" + (c.mined ? " mined" : ""));
    var head = el("div", "c-head");
    head.appendChild(el("b", "", c.source));
    head.appendChild(el("span", "c-count", "×" + c.count + (c.mined ? " · from the reviews" : "")));
    li.appendChild(head);
    var best = c.target || (c.english[0] ? c.english[0].text : "");
    var target = el("input");
    target.value = best; target.placeholder = "English"; target.setAttribute("aria-label", "English of " + c.source);
    var kind = el("select");
    ["term", "fix", "keep"].forEach(function (k) { var o = el("option", "", k); o.value = k; kind.appendChild(o); });
    kind.value = c.kind;
    var line = el("div", "c-edit");
    line.appendChild(target); line.appendChild(kind);
    li.appendChild(line);
    var said = c.english.map(function (r) {
      var parts = [];
      if (r.reviews) { parts.push(r.reviews + " review" + (r.reviews > 1 ? "s" : "")); }
      if (r.drafts) { parts.push(r.drafts + " draft" + (r.drafts > 1 ? "s" : "")); }
      if (r.mt) { parts.push(r.mt + " MT"); }
      return r.text + " (" + parts.join(", ") + ")";
    }).join(", ");
    if (said) { li.appendChild(el("div", "c-evidence", said)); }
    if (c.contexts[0]) { li.appendChild(el("div", "c-context", c.contexts[0].text)); }
    var accept = el("button", "c-accept", "Accept"), decline = el("button", "c-decline", "Not a term");
    accept.type = decline.type = "button";
    accept.addEventListener("click", function () {
      $("c-message").textContent = "adding…";
      api("/api/glossary", { source: c.source, target: target.value, kind: kind.value,
        comment: said ? "from the dossier: " + said : "", plural: c.forms.indexOf("plural") >= 0,
        feminine: c.forms.indexOf("feminine") >= 0 }).then(function (change) {
        li.remove();
        $("c-message").textContent = change.message + (change.warnings.length ? " — warning: " + change.warnings.join("; ") : "");
        showRetranslate(change.retranslate.length);
        reload();
      }).catch(function (err) { $("c-message").textContent = "refused: " + err.message; });
    });
    decline.addEventListener("click", function () {
      api("/api/decline", { source: c.source }).then(function () {
        li.remove();
        $("c-message").textContent = c.source + ": never proposed again";
      }).catch(function (err) { $("c-message").textContent = err.message; });
    });
    var buttons = el("div", "c-buttons");
    buttons.appendChild(accept); buttons.appendChild(decline);
    li.appendChild(buttons);
    return li;
  }

  $("terms-button").addEventListener("click", function () {
    var panel = $("candidates");
    panel.hidden = !panel.hidden;
    if (panel.hidden) { return; }
    $("c-message").textContent = "looking for terms…";
    $("c-list").textContent = "";
    api("/api/candidates").then(function (data) {
      data.candidates.forEach(function (c) { $("c-list").appendChild(renderCandidate(c)); });
      $("c-message").textContent = data.candidates.length + " candidate" + (data.candidates.length === 1 ? "" : "s");
    }).catch(function (err) { $("c-message").textContent = err.message; });
  });
  $("c-close").addEventListener("click", function () { $("candidates").hidden = true; });

  /* --- filters, help and global keys ---------------------------------------------- */

  var searchTimer = null;
  filters.q.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(reload, 150);
  });
  [filters.doc, filters.flag, filters.origin, filters.sort].forEach(function (s) {
    s.addEventListener("change", reload);
  });

  function toggleHelp(open) {
    $("help").hidden = !open;
    if (open) { $("help-close").focus(); }
  }
  $("help-button").addEventListener("click", function () { toggleHelp(true); });
  $("help-close").addEventListener("click", function () { toggleHelp(false); });

  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); filters.q.focus(); }
    if (e.key === "?" && !typing) { e.preventDefault(); toggleHelp($("help").hidden); }
    if (e.ctrlKey && !e.altKey && e.key.toLowerCase() === "k") {  // the words selected, if any
      e.preventDefault();
      var t = e.target, picked = t.tagName === "TEXTAREA" ? t.value.slice(t.selectionStart, t.selectionEnd)
        : String(window.getSelection());
      var box = $("k-search");
      box.focus();
      if (picked.trim()) { box.value = picked.trim(); concordance(box.value); }
    }
    if (e.key === "Escape" && !$("help").hidden) { toggleHelp(false); }
    if (e.key === "Escape" && !$("term-panel").hidden && !typing) { $("term-panel").hidden = true; }
    if (!typing && e.altKey && /^[nfr]$/i.test(e.key)) {
      e.preventDefault();
      jump(null, { n: "unconfirmed", f: "flagged", r: "risky" }[e.key.toLowerCase()], 1);
    }
  });

  if (window.matchMedia("(max-width: 820px)").matches) { document.querySelector(".filters").open = false; }

  loadDocs().then(function () {
    if (!filters.doc.value && state.docs.length) { filters.doc.value = state.docs[0].doc; }
    return reload();
  }).catch(function (err) { say(err.message, true); });
})();
