/* fr2en review workspace: documents, segments, edits, glossary, merge/split. No framework:
   every text goes into the page through textContent, never as HTML. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="fr2en-token"]').content;
  if (location.search.indexOf("token=") >= 0) {  // out of the address bar and the history
    history.replaceState(null, "", location.pathname + location.hash);
  }
  var $ = function (id) { return document.getElementById(id); };
  var rowsBox = $("rows"), status = $("status"), more = $("more");
  var filters = { doc: $("f-doc"), flag: $("f-flag"), origin: $("f-origin"), q: $("f-search") };
  var PAGE = 100, DRAFT_DELAY = 600, RETRY = 3000;
  var state = { docs: [], offset: 0, total: 0, seq: 0, splitAt: null, termRow: null };
  var ORIGINS = { mt: "machine", cache: "machine", review: "reviewed", draft: "draft", "": "no English" };
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

  /* --- documents ------------------------------------------------------------------- */

  function loadDocs() {
    return api("/api/documents").then(function (data) {
      state.docs = data.documents;
      showRetranslate(data.retranslate.length);
      var list = $("doc-list"), select = filters.doc, keep = select.value;
      list.textContent = "";
      while (select.options.length > 1) { select.remove(1); }
      data.documents.forEach(function (d) {
        var li = el("li"), a = el("a");
        a.href = "#"; a.dataset.doc = d.doc;
        a.appendChild(el("span", "t", d.title));
        a.appendChild(el("span", "n", d.reviewed + "/" + d.total + (d.flagged ? " · " + d.flagged + " flagged" : "")));
        var bar = el("progress"); bar.max = d.total; bar.value = d.reviewed;
        a.appendChild(bar);
        li.appendChild(a); list.appendChild(li);
        var option = el("option", "", d.title + " (" + d.reviewed + "/" + d.total + ")");
        option.value = d.doc; select.appendChild(option);
      });
      select.value = keep;
      markCurrentDoc();
    });
  }

  function markCurrentDoc() {
    Array.prototype.forEach.call(document.querySelectorAll("#doc-list a"), function (a) {
      a.classList.toggle("current", a.dataset.doc === filters.doc.value);
    });
    var doc = state.docs.filter(function (d) { return d.doc === filters.doc.value; })[0];
    $("doc-title").textContent = doc ? doc.title : "All documents";
  }

  $("doc-list").addEventListener("click", function (e) {
    var a = e.target.closest("a[data-doc]");
    if (!a) { return; }
    e.preventDefault();
    filters.doc.value = a.dataset.doc;
    reload();
  });
  $("doc-filter").addEventListener("input", function () {
    var text = this.value.trim().toLowerCase();
    Array.prototype.forEach.call(document.querySelectorAll("#doc-list li"), function (li) {
      li.hidden = Boolean(text) && li.textContent.toLowerCase().indexOf(text) < 0;
    });
  });

  /* --- segments -------------------------------------------------------------------- */

  function query(offset) {
    var p = new URLSearchParams({ doc: filters.doc.value, flag: filters.flag.value,
      origin: filters.origin.value, q: filters.q.value, offset: offset, limit: PAGE });
    return "/api/segments?" + p.toString();
  }

  function reload() {
    var seq = ++state.seq, started = performance.now();
    markCurrentDoc();
    return api(query(0)).then(function (data) {
      if (seq !== state.seq) { return; }
      rowsBox.textContent = "";
      state.offset = 0;
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

  more.addEventListener("click", function () {
    var seq = state.seq;
    api(query(state.offset)).then(function (data) { if (seq === state.seq) { show(data); } });
  });

  function pieces(box, list) {
    list.forEach(function (p) {
      if (p[1]) {
        var mark = el("mark", p[1], p[0]);
        mark.title = p[2];
        box.appendChild(mark);
      } else {
        box.appendChild(document.createTextNode(p[0]));
      }
    });
  }

  function renderRow(seg) {
    var row = el("article", "row kind-" + seg.kind + (seg.boilerplate ? " muted" : ""));
    row.dataset.key = seg.key;
    row.dataset.saved = seg.target;
    row.dataset.version = seg.version;
    var meta = el("div", "meta");
    meta.appendChild(el("span", "key", seg.key));
    meta.appendChild(el("span", "kind", seg.kind));
    meta.appendChild(el("span", "origin o-" + (seg.origin || "none"), ORIGINS[seg.origin] || ORIGINS[""]));
    if (seg.stale) { meta.appendChild(el("span", "stale", "needs re-translation")); }
    row.appendChild(meta);

    var fr = el("div", "fr"), text = el("div", "fr-text");
    fr.lang = "fr";
    pieces(text, seg.fr);
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
    if (seg.terms.length) {
      var terms = el("div", "terms");
      seg.terms.forEach(function (t) {
        var mark = el("mark", "hit hit-" + t.kind + (t.found ? " found" : " missing"),
          (t.found ? "✓ " : "✗ ") + t.target);
        mark.title = t.found ? "glossary " + t.kind + " present" : "glossary " + t.kind + " missing";
        terms.appendChild(mark);
      });
      en.appendChild(terms);
    }
    row.appendChild(en);

    var flags = el("div", "flags");
    seg.flags.forEach(function (f) {
      flags.appendChild(el("span", "badge flag-" + f[0], f[0].replace(/-/g, " ")));
      if (f[1] !== f[0]) { flags.appendChild(el("small", "why", f[1])); }
    });
    row.appendChild(flags);

    var actions = el("div", "actions");
    [["confirm", "Confirm"], ["merge", "Merge with next"], ["split", "Split"]].forEach(function (a) {
      var b = el("button", "act-" + a[0], a[1]);
      b.type = "button"; b.dataset.act = a[0];
      actions.appendChild(b);
    });
    row.appendChild(actions);
    return row;
  }

  function rowOf(node) { return node.closest ? node.closest("article.row") : null; }

  /* --- editing -------------------------------------------------------------------- */
  /* Every text typed reaches the memory: a draft autosaved after a pause, a review on
     Ctrl+Enter; a save that fails for a reason worth a retry (the network, the server) is
     sent again until it is stored, and once more as the page closes. Each save names the
     version of the segment it was typed on: one made on an older version is refused and the
     other text shown (another tab saved meanwhile); the next save then overrides it. */

  var timers = {}, pending = {};

  function rowFor(key) {
    return rowsBox.querySelector('article.row[data-key="' + CSS.escape(key) + '"]');
  }

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
      var badge = row.querySelector(".origin");
      badge.textContent = ORIGINS[seg.origin] || ORIGINS[""];
      badge.className = "origin o-" + (seg.origin || "none");
      say("draft saved: " + seg.key);
    }).catch(function (err) { say(err.message, true); });
  }

  function confirmRow(row) {
    clearTimeout(timers[row.dataset.key]);
    delete timers[row.dataset.key];
    return send(row, "confirm").then(function (seg) {
      var fresh = renderRow(seg);
      row.replaceWith(fresh);
      say("confirmed " + seg.key);
      refreshDocsSoon();
      move(fresh, 1);
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
      var fresh = renderRow(seg);
      row.replaceWith(fresh);
      fresh.querySelector("textarea").focus();
      say("edit undone: " + key + " (its draft withdrawn)");
      refreshDocsSoon();
    }).catch(function (err) { say(err.message, true); });
  }

  function move(row, step) {
    var target = step > 0 ? row.nextElementSibling : row.previousElementSibling;
    if (!target && step > 0 && !more.hidden) { more.click(); }
    if (target) {
      var area = target.querySelector("textarea");
      area.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  }

  var docsTimer = null;
  function refreshDocsSoon() {
    clearTimeout(docsTimer);
    docsTimer = setTimeout(loadDocs, 800);
  }

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
    var row = rowOf(e.target);
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      confirmRow(row);
    } else if (e.key === "Escape") {
      e.preventDefault();
      undoRow(row);
    } else if (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      move(row, e.key === "ArrowDown" ? 1 : -1);
    }
  });

  rowsBox.addEventListener("focusin", function (e) {
    var row = rowOf(e.target);
    Array.prototype.forEach.call(document.querySelectorAll("article.row.active"), function (r) {
      if (r !== row) { r.classList.remove("active"); }
    });
    if (row) { row.classList.add("active"); }
  });

  rowsBox.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-act]");
    if (!button) { return; }
    var row = rowOf(button), act = button.dataset.act;
    if (act === "confirm") { confirmRow(row); }
    if (act === "merge") { structural("/api/merge", { key: row.dataset.key }, row); }
    if (act === "split") {
      if (!state.splitAt || state.splitAt.key !== row.dataset.key) {
        say("click in the French where the sentence should end, then Split", true);
        return;
      }
      structural("/api/split", { key: row.dataset.key, offset: state.splitAt.offset }, row);
    }
  });

  /* Merge and split: what was typed is saved first; a change that would discard a review
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
    var s = frenchSelection(), button = $("add-term");
    if (s) { state.splitAt = { key: s.row.dataset.key, offset: s.offset }; }
    if (s && s.text.trim()) {
      button.hidden = false;
      button.style.top = Math.max(4, s.rect.top - 36) + "px";
      button.style.left = Math.max(4, Math.min(window.innerWidth - 150, s.rect.left)) + "px";
      button.dataset.source = s.text.trim();
      state.termRow = s.row;
    } else if (!button.matches(":hover")) {
      button.hidden = true;
    }
  });

  $("add-term").addEventListener("mousedown", function (e) { e.preventDefault(); });
  $("add-term").addEventListener("click", function () {
    var panel = $("term-panel"), area = state.termRow && state.termRow.querySelector("textarea");
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
      message.textContent = change.message;
      say(change.message);
      showRetranslate(change.retranslate.length);
      reload();
    }).catch(function (err) {
      message.className = "error";
      message.textContent = "refused: " + err.message;
    });
  });

  function showRetranslate(n) {
    var button = $("retranslate");
    button.hidden = n === 0;
    button.textContent = "Re-translate " + n + " segment" + (n === 1 ? "" : "s");
  }

  $("retranslate").addEventListener("click", function () {
    structural("/api/retranslate", {}).then(function () { showRetranslate(0); });
  });

  /* --- filters and keys ------------------------------------------------------------ */

  var searchTimer = null;
  filters.q.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(reload, 150);
  });
  [filters.doc, filters.flag, filters.origin].forEach(function (s) { s.addEventListener("change", reload); });

  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); filters.q.focus(); }
    if (e.key === "Escape" && !$("term-panel").hidden && !typing) { $("term-panel").hidden = true; }
  });

  loadDocs().then(function () {
    if (!filters.doc.value && state.docs.length) { filters.doc.value = state.docs[0].doc; }
    return reload();
  }).catch(function (err) { say(err.message, true); });
})();
