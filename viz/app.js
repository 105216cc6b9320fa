/* paperkg viewer: the controls (search, type filters, support slider, side panel,
 * neighbourhood highlight, deep link), written once against the renderer
 * adapter in renderers.js.
 *
 * Every corpus text reaches the DOM through textContent / DOM properties only;
 * nothing here parses HTML.
 */
(function () {
  "use strict";
  // start-up phases as performance marks (paperkg:*), read by bench/viewer_render.py
  performance.mark("paperkg:script");
  const data = JSON.parse(document.getElementById("paperkg-data").textContent);
  performance.mark("paperkg:data");
  const n = data.n;
  const N = n.key.length;
  const E = data.e.s.length;
  const $ = (id) => document.getElementById(id);
  const state = {
    ready: false, selected: -1, hovered: -1, panel: null, highlighted: 0, visible: N,
    firstDrawMs: null, readyMs: null, searchStartMs: null, selectPaintMs: null, lastSearchMs: null,
  };

  /* ---------------------------------------------------------------- indexes */
  const byKey = new Map();
  for (let i = 0; i < N; i++) byKey.set(n.key[i], i);
  // adjacency in CSR form: adjStart[i]..adjStart[i+1] indexes adjNode/adjEdge
  const adjStart = new Uint32Array(N + 1);
  for (let k = 0; k < E; k++) { adjStart[data.e.s[k] + 1]++; adjStart[data.e.t[k] + 1]++; }
  for (let i = 0; i < N; i++) adjStart[i + 1] += adjStart[i];
  const fill = adjStart.slice(0, N);
  const adjNode = new Uint32Array(2 * E);
  const adjEdge = new Uint32Array(2 * E);
  for (let k = 0; k < E; k++) {
    const s = data.e.s[k], t = data.e.t[k];
    adjNode[fill[s]] = t; adjEdge[fill[s]++] = k;
    adjNode[fill[t]] = s; adjEdge[fill[t]++] = k;
  }
  const typeOf = (i) => data.types[n.t[i]];
  // search entries: [lowercased text, node index, alias or null]
  const entries = [];
  for (let i = 0; i < N; i++) {
    entries.push([n.name[i].toLowerCase(), i, null]);
    for (const a of data.aliases[i] || []) entries.push([a.toLowerCase(), i, a]);
  }

  const mask = new Uint8Array(N).fill(1);
  performance.mark("paperkg:indexes");

  /* ---------------------------------------------------------------- filters */
  $("title").textContent = data.title;
  const typeOn = data.types.map(() => true);
  const typeCounts = data.types.map(() => 0);
  for (let i = 0; i < N; i++) typeCounts[n.t[i]]++;
  data.types.forEach((t, ti) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.type = t;
    box.id = "type-" + t;
    box.addEventListener("change", () => { typeOn[ti] = box.checked; applyFilters(); });
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = data.colors[t];
    const txt = document.createElement("span");
    txt.textContent = t + " (" + typeCounts[ti] + ")";
    label.append(box, sw, txt);
    $("filters").append(label);
  });
  // the slider walks the distinct support values so that long tails stay reachable
  const supports = [...new Set(n.pc.filter((_, i) => typeOf(i) !== "paper"))].filter((v) => v >= 1).sort((a, b) => a - b);
  if (!supports.length || supports[0] !== 1) supports.unshift(1);
  const slider = $("support");
  slider.min = "0";
  slider.max = String(supports.length - 1);
  slider.value = "0";
  const minSupport = () => supports[+slider.value];
  slider.addEventListener("input", () => { $("support-value").textContent = String(minSupport()); applyFilters(); });

  function applyFilters() {
    const minSup = minSupport();
    const paperType = data.types.indexOf("paper");
    for (let i = 0; i < N; i++) {
      if (n.t[i] !== paperType) mask[i] = typeOn[n.t[i]] && n.pc[i] >= minSup ? 1 : 0;
    }
    for (let i = 0; i < N; i++) {
      if (n.t[i] !== paperType) continue;
      let on = typeOn[paperType] ? 1 : 0;
      if (on && minSup > 1) {
        // with a support threshold, a paper stays only while one of its entities does
        on = 0;
        for (let a = adjStart[i]; a < adjStart[i + 1]; a++) if (mask[adjNode[a]]) { on = 1; break; }
      }
      mask[i] = on;
    }
    let c = 0;
    for (let i = 0; i < N; i++) c += mask[i];
    state.visible = c;
    renderer.setVisible(mask);
    $("counts").textContent = c + " of " + N + " nodes";
  }

  function reveal(i) {
    if (mask[i]) return;
    const box = $("type-" + typeOf(i));
    if (!box.checked) { box.checked = true; typeOn[n.t[i]] = true; }
    slider.value = "0";
    $("support-value").textContent = "1";
    applyFilters();
  }

  /* ---------------------------------------------------------------- renderer */
  // created once the control bar is complete, so the graph area already has its final size
  const renderer = paperkgCreateRenderer(data.renderer, $("graph"), data);
  performance.mark("paperkg:renderer");
  new ResizeObserver(() => renderer.resize()).observe($("graph"));

  /* ---------------------------------------------------------------- links */
  const links = $("links");
  links.checked = !!data.linksOn;
  if (!data.linksOn) renderer.setLinks(false);
  links.addEventListener("change", () => renderer.setLinks(links.checked));

  /* ---------------------------------------------------------------- relax */
  if (renderer.relax) {
    $("relax").addEventListener("change", (e) => renderer.relax(e.target.checked));
  } else {
    $("relax-wrap").hidden = true;
  }

  /* ---------------------------------------------------------------- highlight + selection */
  function neighbourhood(i) {
    const set = new Set([i]);
    for (let a = adjStart[i]; a < adjStart[i + 1]; a++) set.add(adjNode[a]);
    return set;
  }
  function highlight(i) {
    const set = i >= 0 ? neighbourhood(i) : null;
    state.highlighted = set ? set.size : 0;
    renderer.setHighlight(i, set);
  }

  function select(i, opts) {
    const o = opts || {};
    if (i < 0) {
      state.selected = -1;
      renderer.select(-1);
      highlight(-1);
      closePanel();
      if (o.hash !== false && location.hash) history.replaceState(null, "", location.pathname + location.search);
      return;
    }
    reveal(i);
    state.selected = i;
    renderer.select(i);
    highlight(i);
    showPanel(i);
    if (o.focus) renderer.focus(i);
    if (o.hash !== false) history.replaceState(null, "", "#node=" + encodeURIComponent(n.key[i]));
    // two animation frames later the frame showing the selection has been painted
    requestAnimationFrame(() => requestAnimationFrame(() => {
      if (state.selected !== i) return;
      state.selectPaintMs = performance.now();
      if (state.searchStartMs !== null) {
        state.lastSearchMs = state.selectPaintMs - state.searchStartMs;
        state.searchStartMs = null;
      }
    }));
  }

  renderer.on("click", (i) => select(i, { focus: false }));
  renderer.on("stage", () => select(-1));
  renderer.on("hover", (i) => { state.hovered = i; if (state.selected < 0) highlight(i); });
  renderer.on("leave", () => { state.hovered = -1; highlight(state.selected); });

  /* ---------------------------------------------------------------- side panel */
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  function nodeLink(i, text) {
    const a = el("a", "node", text);
    a.href = "#node=" + encodeURIComponent(n.key[i]);
    a.addEventListener("click", (e) => { e.preventDefault(); select(i, { focus: true }); });
    return a;
  }
  function roleOf(k) {
    const r = data.e.r[k];
    return r >= 0 ? data.roles[r] || data.rels[r].toLowerCase().replace("_", " ") : "";
  }
  function evidenceOf(k) {
    const v = data.e.ev[k];
    return v >= 0 ? data.ev[v] : "";
  }
  // text with <mark>s over [start, end) spans; spans come sorted and non-overlapping
  function marked(text, spans) {
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const [start, end, target] of spans) {
      if (start < at || end > text.length) continue;
      frag.append(text.slice(at, start));
      const m = el("mark", "t-" + typeOf(target), text.slice(start, end));
      m.title = n.name[target] + " (" + typeOf(target) + ")";
      m.dataset.node = n.key[target];
      frag.append(m);
      at = end;
    }
    frag.append(text.slice(at));
    return frag;
  }

  function showPanel(i) {
    const body = $("panel-body");
    body.replaceChildren();
    const type = typeOf(i);
    body.append(el("div", "kind", type));
    if (type === "paper") {
      const p = data.papers[i] || { title: n.name[i], abstract: "", hl: [] };
      const spans = (f) => p.hl.filter((h) => h[0] === f).map((h) => [h[1], h[2], h[3]]);
      const h2 = el("h2");
      h2.append(marked(p.title, spans(0)));
      body.append(h2);
      const meta = el("div", "meta");
      if (p.year) meta.append(String(p.year));
      if (p.url && /^https?:\/\//.test(p.url)) {
        const a = el("a", null, p.url);
        a.href = p.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        if (p.year) meta.append(" · ");
        meta.append(a);
      }
      body.append(meta);
      const abs = el("p", "abstract");
      abs.append(marked(p.abstract, spans(1)));
      body.append(abs);
      body.append(el("h3", null, "Links"));
      const ul = el("ul", "links");
      for (let a = adjStart[i]; a < adjStart[i + 1]; a++) {
        const k = adjEdge[a], j = adjNode[a];
        const li = el("li");
        const role = roleOf(k);
        if (role) li.append(el("span", "role", role));
        li.append(nodeLink(j, n.name[j]), el("span", "type", " " + typeOf(j)));
        const evd = evidenceOf(k);
        if (evd) li.append(el("span", "evidence", evd));
        ul.append(li);
      }
      body.append(ul);
      state.panel = "paper";
    } else {
      body.append(el("h2", null, n.name[i]));
      const aliases = data.aliases[i] || [];
      if (aliases.length) body.append(el("div", "meta aliases", "Also: " + aliases.join(", ")));
      body.append(el("div", "meta paper-count", n.pc[i] + (n.pc[i] === 1 ? " paper" : " papers")));
      const ul = el("ul", "links");
      const limit = 300;
      let shown = 0, total = 0;
      for (let a = adjStart[i]; a < adjStart[i + 1]; a++) {
        const k = adjEdge[a], j = adjNode[a];
        if (typeOf(j) !== "paper") continue;
        total++;
        if (shown >= limit) continue;
        shown++;
        const li = el("li");
        const role = roleOf(k);
        if (role) li.append(el("span", "role", role));
        const p = data.papers[j];
        li.append(nodeLink(j, n.name[j]));
        if (p && p.year) li.append(" (" + p.year + ")");
        const evd = evidenceOf(k);
        if (evd) li.append(el("span", "evidence", evd));
        ul.append(li);
      }
      body.append(ul);
      if (total > shown) body.append(el("div", "meta", "… and " + (total - shown) + " more papers"));
      state.panel = "entity";
    }
    $("panel").hidden = false;
  }
  function closePanel() {
    $("panel").hidden = true;
    $("panel-body").replaceChildren();
    state.panel = null;
  }
  $("panel-close").addEventListener("click", () => select(-1));

  /* ---------------------------------------------------------------- search */
  const input = $("search");
  const list = $("suggestions");
  let results = [];
  let active = -1;

  function find(q, limit) {
    const scored = [];
    for (const [text, i, alias] of entries) {
      const at = text.indexOf(q);
      if (at < 0) continue;
      const rank = text === q ? 0 : at === 0 ? 1 : /[\s\-_/(]/.test(text[at - 1]) ? 2 : 3;
      scored.push([rank, -n.pc[i], i, alias]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || n.name[a[2]].length - n.name[b[2]].length);
    const seen = new Set();
    const out = [];
    for (const s of scored) {
      if (seen.has(s[2])) continue;
      seen.add(s[2]);
      out.push({ i: s[2], alias: s[3] });
      if (out.length >= limit) break;
    }
    return out;
  }
  function renderSuggestions() {
    list.replaceChildren();
    results.forEach((r, idx) => {
      const li = el("li");
      li.id = "sugg-" + idx;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", idx === active ? "true" : "false");
      li.dataset.node = n.key[r.i];
      li.append(el("span", "name", n.name[r.i]), el("span", "type", typeOf(r.i)));
      if (r.alias) li.append(el("span", "alias", "(" + r.alias + ")"));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(idx); });
      list.append(li);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", "sugg-" + active);
    else input.removeAttribute("aria-activedescendant");
  }
  function choose(idx) {
    const r = results[idx];
    if (!r) return;
    results = [];
    active = -1;
    renderSuggestions();
    input.value = n.name[r.i];
    select(r.i, { focus: true });
  }
  input.addEventListener("input", () => {
    // a search runs from its first keystroke until the chosen node is on screen
    if (state.searchStartMs === null) state.searchStartMs = performance.now();
    const q = input.value.trim().toLowerCase();
    results = q ? find(q, 12) : [];
    active = results.length ? 0 : -1;
    renderSuggestions();
    if (!input.value) state.searchStartMs = null;
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!results.length) return;
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderSuggestions();
      const li = $("sugg-" + active);
      if (li) li.scrollIntoView({ block: "nearest" });
    } else if (e.key === "Enter") {
      e.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (e.key === "Escape") {
      results = [];
      active = -1;
      renderSuggestions();
    }
  });
  input.addEventListener("blur", () => { results = []; active = -1; renderSuggestions(); });

  /* ---------------------------------------------------------------- deep link */
  function openHash() {
    const m = /^#node=(.+)$/.exec(location.hash);
    let key = data.focus; // the node `paperkg view --focus` was built around
    if (m) {
      try { key = decodeURIComponent(m[1]); } catch (_) { return; }
    }
    if (key === null || key === undefined) return;
    const i = byKey.get(key);
    if (i !== undefined && i !== state.selected) select(i, { focus: true, hash: false });
  }
  window.addEventListener("hashchange", openHash);

  /* ---------------------------------------------------------------- start */
  applyFilters();
  performance.mark("paperkg:filters");
  // ready resolves when the renderer has drawn its first frame; one animation frame later
  // that frame has been composited (software WebGL reads every canvas back then: ~0.4 s
  // at 20k nodes), so firstDrawMs is when the graph is on screen
  renderer.ready.then(() => requestAnimationFrame(() => {
    state.firstDrawMs = performance.now();
    openHash();
    state.ready = true;
    state.readyMs = performance.now();
  }));

  // read-only hook for tests and benchmarks
  window.paperkgViewer = Object.freeze({
    get ready() { return state.ready; },
    get renderer() { return renderer.kind; },
    get nodeCount() { return N; },
    get edgeCount() { return E; },
    get visibleNodes() { return state.visible; },
    get drawnNodes() { return renderer.drawnCount(); },
    get drawnLinks() { return renderer.drawnLinks(); },
    get selected() { return state.selected >= 0 ? n.key[state.selected] : null; },
    get hovered() { return state.hovered >= 0 ? n.key[state.hovered] : null; },
    get panel() { return state.panel; },
    get highlighted() { return state.highlighted; },
    screenPosition(key) {
      const i = byKey.get(key);
      if (i === undefined) return null;
      const p = renderer.toScreen(i);
      const box = $("graph").getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    get timings() {
      return {
        firstDrawMs: state.firstDrawMs, readyMs: state.readyMs,
        selectPaintMs: state.selectPaintMs, lastSearchMs: state.lastSearchMs,
      };
    },
  });
})();
