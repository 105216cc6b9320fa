/* paperkg viewer: the controls (search, year range, support slider, colour modes, type filters,
 * side panel, neighbourhood highlight, labels, deep link), written once against the renderer
 * adapter in renderers.js, for both pages:
 *
 *   full      every paper and entity is a node (data.papers holds the paper texts);
 *   overview  entities only, linked by co-occurrence; papers come from data.P on demand and
 *             a selected paper shows as a star over its entities.
 *
 * Every corpus text reaches the DOM through textContent / DOM properties only (canvas labels
 * through fillText); nothing here parses HTML.
 */
(function () {
  "use strict";
  // start-up phases as performance marks (paperkg:*), read by bench/viewer_render.py
  performance.mark("paperkg:script");
  const data = JSON.parse(document.getElementById("paperkg-data").textContent);
  performance.mark("paperkg:data");
  const overview = data.mode === "overview";
  const n = data.n;
  const N = n.key.length;
  const E = data.e.s.length;
  const $ = (id) => document.getElementById(id);
  const paperType = data.types.indexOf("paper"); // -1 on the overview
  const isPaper = (i) => n.t[i] === paperType;
  const CHART_YEARS = 30; // bars in the panel's papers-per-year chart
  const typeOf = (i) => data.types[n.t[i]];
  const state = {
    ready: false, sel: null, hovered: -1, panel: null, highlighted: 0, visible: N, labels: [],
    firstDrawMs: null, readyMs: null, searchStartMs: null, selectPaintMs: null, lastSearchMs: null,
    filterStartMs: null, lastFilterMs: null,
  };

  /* ---------------------------------------------------------------- indexes */
  const byKey = new Map();
  for (let i = 0; i < N; i++) byKey.set(n.key[i], i);
  const P = data.P || null; // overview: the papers the panels list
  const paperRow = new Map();
  if (P) for (let r = 0; r < P.key.length; r++) paperRow.set(P.key[r], r);
  const XN = data.xn || null; // overview: entities off the map (searchable, linked from papers)
  const xnRow = new Map();
  if (XN) for (let x = 0; x < XN.key.length; x++) xnRow.set(XN.key[x], x);
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
  // search entries: [lowercased text, kind, index, alias or null]; kind: NODE, PAPER (a row of P),
  // OFF (an entity off the map, a row of xn)
  const NODE = 0, PAPER = 1, OFF = 2;
  const entries = [];
  for (let i = 0; i < N; i++) {
    entries.push([n.name[i].toLowerCase(), NODE, i, null]);
    for (const a of data.aliases[i] || []) entries.push([a.toLowerCase(), NODE, i, a]);
  }
  if (XN) for (let x = 0; x < XN.key.length; x++) entries.push([XN.name[x].toLowerCase(), OFF, x, null]);
  if (P) for (let r = 0; r < P.key.length; r++) entries.push([P.title[r].toLowerCase(), PAPER, r, null]);

  /* ---------------------------------------------------------------- time */
  const Y0 = data.years ? data.years[0] : 0;
  const NY = data.years ? data.years[1] - data.years[0] + 1 : 0;
  // papers per year, one row of NY per node (entities; papers have their own year)
  const hist = new Uint32Array(N * NY);
  if (NY) for (let i = 0; i < N; i++) {
    const h = n.yh[i];
    if (h) for (let k = 0; k < h.length; k += 2) hist[i * NY + h[k]] = h[k + 1];
  }
  const paperYear = new Int32Array(N).fill(-1);
  if (!overview) for (const idx in data.papers) paperYear[+idx] = data.papers[idx].year || -1;
  const linkHist = overview && NY ? new Uint32Array(E * NY) : null;
  if (linkHist) for (let k = 0; k < E; k++) {
    const h = data.e.yh[k];
    for (let j = 0; j < h.length; j += 2) linkHist[k * NY + h[j]] = h[j + 1];
  }
  const range = [Y0, Y0 + NY - 1];
  const fullRange = () => !NY || (range[0] === Y0 && range[1] === Y0 + NY - 1);
  const weight = new Float64Array(N); // papers in the year range (entities), links (papers)
  const meanYear = new Float64Array(N);
  function computeWeights() {
    const all = fullRange();
    const a = range[0] - Y0, b = range[1] - Y0;
    for (let i = 0; i < N; i++) {
      if (isPaper(i)) {
        weight[i] = n.pc[i];
        meanYear[i] = paperYear[i] > 0 ? paperYear[i] : NaN;
        continue;
      }
      let c = 0, s = 0;
      for (let y = a; y <= b && NY; y++) { const v = hist[i * NY + y]; c += v; s += v * (Y0 + y); }
      weight[i] = all ? n.pc[i] : c;
      meanYear[i] = c ? s / c : NaN;
    }
  }

  /* ---------------------------------------------------------------- look: positions, colours, sizes */
  // The layout is square; the graph area is wide. Stretch it to the area's shape (up to 1.8x)
  // so that the map fills the screen instead of leaving its sides empty.
  const graphBox = $("graph").getBoundingClientRect();
  const stretch = Math.min(Math.max(graphBox.width / Math.max(graphBox.height, 1), 1), 1.8);
  const look = {
    x: Float64Array.from(n.x, (x) => x * stretch),
    y: Float64Array.from(n.y),
    color: new Array(N).fill(data.otherColor),
    size: Float64Array.from(n.s),
  };
  const colorModes = overview ? ["cluster", "type", "year"] : ["type", "year"];
  let colorMode = colorModes[0];
  const hexToRgb = (h) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
  const yearStops = data.yearColors.map(hexToRgb);
  function yearColor(t) {
    const x = Math.min(Math.max(t, 0), 1) * (yearStops.length - 1);
    const k = Math.min(Math.floor(x), yearStops.length - 2), f = x - k;
    const c = yearStops[k].map((v, j) => Math.round(v + (yearStops[k + 1][j] - v) * f));
    return "#" + c.map((v) => v.toString(16).padStart(2, "0")).join("");
  }
  let yearScale = [Y0, Y0 + NY - 1];
  // links inside a cluster take its colour, faintly; links between clusters stay grey
  const rgba = (hex, a) => "rgba(" + hexToRgb(hex).join(",") + "," + a + ")";
  const clusterLink = data.clusterColors.map((c) => rgba(c, 0.3));
  const greyLink = "rgba(120,130,145,0.28)";
  if (overview) {
    look.linkColor = (k) => {
      const a = n.cl[data.e.s[k]];
      return colorMode === "cluster" && a >= 0 && a === n.cl[data.e.t[k]] && a < clusterLink.length
        ? clusterLink[a] : greyLink;
    };
  }
  function computeLook() {
    if (colorMode === "year") {
      // VOSviewer's overlay: colour by mean year, the scale spanning the 5th-95th percentile
      const means = [];
      for (let i = 0; i < N; i++) if (mask[i] && !isPaper(i) && meanYear[i] === meanYear[i]) means.push(meanYear[i]);
      means.sort((p, q) => p - q);
      yearScale = means.length
        ? [means[Math.floor(means.length * 0.05)], means[Math.min(means.length - 1, Math.floor(means.length * 0.95))]]
        : [range[0], range[1]];
      if (yearScale[1] - yearScale[0] < 1) yearScale = [yearScale[0] - 0.5, yearScale[0] + 0.5];
    }
    let top = 0;
    for (let i = 0; i < N; i++) if (!isPaper(i)) top = Math.max(top, n.pc[i]);
    const sz = data.size;
    for (let i = 0; i < N; i++) {
      if (colorMode === "cluster") {
        const c = n.cl[i];
        look.color[i] = c >= 0 && c < data.clusterColors.length ? data.clusterColors[c] : data.otherColor;
      } else if (colorMode === "year") {
        const m = meanYear[i];
        look.color[i] = m === m ? yearColor((m - yearScale[0]) / (yearScale[1] - yearScale[0])) : data.otherColor;
      } else {
        look.color[i] = data.colors[typeOf(i)] || data.otherColor;
      }
      // sizes follow the year range: an entity is drawn as big as its papers in the range
      look.size[i] = isPaper(i) ? sz.paper
        : sz.entity_min + (sz.entity_max - sz.entity_min) * Math.sqrt(Math.max(weight[i], 0) / (top || 1));
    }
  }

  /* ---------------------------------------------------------------- filters */
  $("title").textContent = data.title;
  document.title = data.title;
  const mask = new Uint8Array(N).fill(1);
  const linkMask = linkHist ? new Uint8Array(E).fill(1) : null;
  const typeOn = data.types.map(() => true);
  const typeCounts = data.types.map(() => 0);
  for (let i = 0; i < N; i++) typeCounts[n.t[i]]++;
  // the support slider walks the distinct support values so that long tails stay reachable
  const supports = [...new Set(n.pc.filter((_, i) => !isPaper(i)))].filter((v) => v >= 1).sort((a, b) => a - b);
  if (!supports.length || supports[0] !== 1) supports.unshift(1);
  const slider = $("support");
  slider.min = "0";
  slider.max = String(supports.length - 1);
  slider.value = "0";
  const minSupport = () => supports[+slider.value];
  slider.addEventListener("input", () => { $("support-value").textContent = String(minSupport()); applyFilters(); });

  const yFrom = $("year-from"), yTo = $("year-to");
  if (NY > 1) {
    for (const s of [yFrom, yTo]) { s.min = String(Y0); s.max = String(Y0 + NY - 1); s.step = "1"; }
    yFrom.value = String(Y0);
    yTo.value = String(Y0 + NY - 1);
    const onYears = (e) => {
      state.filterStartMs = performance.now();
      let a = +yFrom.value, b = +yTo.value;
      if (a > b) { if (e.target === yFrom) b = a; else a = b; yFrom.value = String(a); yTo.value = String(b); }
      range[0] = a; range[1] = b;
      applyFilters();
    };
    yFrom.addEventListener("input", onYears);
    yTo.addEventListener("input", onYears);
  } else {
    $("years-wrap").hidden = true;
  }
  function showYears() {
    $("years-value").textContent = NY ? range[0] + "–" + range[1] : "";
  }

  const colorBy = $("color-by");
  for (const m of colorModes) {
    if (m === "year" && !NY) continue;
    const o = document.createElement("option");
    o.value = m;
    o.textContent = m === "year" ? "mean year" : m;
    colorBy.append(o);
  }
  colorBy.value = colorMode;
  colorBy.addEventListener("change", () => {
    colorMode = colorBy.value;
    computeLook();
    renderer.restyle();
    drawLegend();
  });

  let filtered = false;
  function applyFilters() {
    computeWeights();
    const minSup = minSupport();
    const all = fullRange();
    for (let i = 0; i < N; i++) {
      if (isPaper(i)) continue;
      mask[i] = typeOn[n.t[i]] && weight[i] >= minSup && weight[i] > 0 ? 1 : 0;
    }
    for (let i = 0; i < N; i++) {
      if (!isPaper(i)) continue;
      let on = typeOn[paperType] && (all || (paperYear[i] >= range[0] && paperYear[i] <= range[1])) ? 1 : 0;
      if (on && minSup > 1) {
        // with a support threshold, a paper stays only while one of its entities does
        on = 0;
        for (let a = adjStart[i]; a < adjStart[i + 1]; a++) if (mask[adjNode[a]]) { on = 1; break; }
      }
      mask[i] = on;
    }
    if (linkMask) {
      const a = range[0] - Y0, b = range[1] - Y0;
      for (let k = 0; k < E; k++) {
        let on = all ? 1 : 0;
        for (let y = a; y <= b && !on; y++) if (linkHist[k * NY + y]) on = 1;
        linkMask[k] = on;
      }
    }
    let c = 0;
    for (let i = 0; i < N; i++) c += mask[i];
    state.visible = c;
    computeLook();
    sortLabelOrder();
    renderer.setVisible(mask, linkMask);
    // sizes and colours follow the year range; at start-up the renderer was made with them
    if (filtered) renderer.restyle();
    filtered = true;
    showYears();
    showCounts();
    drawLegend();
    if (state.panel === "entity" && state.sel) showPanel(state.sel); // its chart marks the range
    if (state.filterStartMs !== null) {
      const t0 = state.filterStartMs;
      state.filterStartMs = null;
      requestAnimationFrame(() => requestAnimationFrame(() => { state.lastFilterMs = performance.now() - t0; }));
    }
  }
  function showCounts() {
    const fmt = (v) => v.toLocaleString("en-US");
    if (overview) {
      $("counts").textContent = fmt(state.visible) + " of " + fmt(data.stats.entities) + " entities";
      $("counts").title = "The map shows the best-supported entities of " + fmt(data.stats.papers)
        + " papers, linked by the papers they share; `paperkg view --full` draws every paper.";
    } else {
      $("counts").textContent = fmt(state.visible) + " of " + fmt(N) + " nodes";
    }
  }

  function reveal(i) {
    if (mask[i]) return;
    typeOn[n.t[i]] = true;
    const box = document.querySelector('#legend input[data-type="' + typeOf(i) + '"]');
    if (box) box.checked = true;
    slider.value = "0";
    $("support-value").textContent = "1";
    if (NY > 1) { range[0] = Y0; range[1] = Y0 + NY - 1; yFrom.value = String(Y0); yTo.value = String(range[1]); }
    applyFilters();
  }

  /* ---------------------------------------------------------------- legend (types, colour key) */
  const legend = $("legend");
  let legendOpen = false;
  function drawLegend() {
    legend.replaceChildren();
    const types = el("div", "legend-types");
    data.types.forEach((t, ti) => {
      if (!typeCounts[ti]) return;
      const label = el("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = typeOn[ti];
      box.dataset.type = t;
      box.id = "type-" + t;
      box.addEventListener("change", () => { typeOn[ti] = box.checked; applyFilters(); });
      label.append(box);
      if (colorMode === "type") {
        const sw = el("span", "swatch");
        sw.style.background = data.colors[t] || data.otherColor;
        label.append(sw);
      }
      label.append(el("span", null, t + " " + typeCounts[ti].toLocaleString("en-US")));
      types.append(label);
    });
    legend.append(types);
    if (colorMode === "cluster" && data.clusters) {
      // the clusters' names, folded away by default: the map's biggest labels name them already
      const details = el("details", "legend-more");
      details.open = legendOpen;
      details.addEventListener("toggle", () => { legendOpen = details.open; renderer.restyle(); });
      const shown = Math.min(data.clusters.size.length, data.clusterColors.length, 10);
      details.append(el("summary", null, data.clusters.size.length + " clusters"));
      const list = el("ol", "legend-clusters");
      for (let c = 0; c < shown; c++) {
        const li = el("li");
        const sw = el("span", "swatch");
        sw.style.background = data.clusterColors[c];
        li.append(sw, el("span", "cluster-name", data.clusters.top[c].join(" · ")));
        list.append(li);
      }
      details.append(list);
      legend.append(details);
    } else if (colorMode === "year") {
      const key = el("div", "legend-years");
      const bar = el("span", "gradient");
      bar.style.background = "linear-gradient(to right, " + data.yearColors.join(", ") + ")";
      key.append(el("span", null, String(Math.round(yearScale[0]))), bar, el("span", null, String(Math.round(yearScale[1]))));
      legend.append(el("div", "legend-caption", "mean year of papers"), key);
    }
  }

  /* ---------------------------------------------------------------- renderer */
  computeWeights();
  computeLook();
  // created once the control bar is complete, so the graph area already has its final size
  const renderer = paperkgCreateRenderer(data.renderer, $("graph"), data, look);
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

  /* ---------------------------------------------------------------- labels */
  const labelLayer = paperkgLabelLayer($("graph"));
  let labelOrder = [];
  function sortLabelOrder() {
    // entities by weight, largest first (papers get labels only when selected or highlighted)
    labelOrder = [];
    for (let i = 0; i < N; i++) if (!isPaper(i) && mask[i]) labelOrder.push(i);
    labelOrder.sort((a, b) => weight[b] - weight[a] || a - b);
  }
  const L = data.labels;
  function labelText(i) {
    const s = n.name[i];
    return s.length > 42 ? s.slice(0, 40) + "…" : s;
  }
  function* labelCandidates() {
    const top = labelOrder.length ? Math.max(weight[labelOrder[0]], 1) : 1;
    const seen = new Set();
    const box = $("graph").getBoundingClientRect();
    const hl = highlightSet;
    const make = (i, first) => {
      const p = renderer.toScreen(i);
      if (p.x < -50 || p.y < -50 || p.x > box.width + 50 || p.y > box.height + 50) return null;
      const px = isPaper(i) ? L.min_px : Math.round(L.min_px + (L.max_px - L.min_px) * Math.sqrt(weight[i] / top));
      return {
        i, x: p.x, y: p.y, r: renderer.radius(i), text: labelText(i), px: first ? Math.max(px, 14) : px,
        bold: first, moves: first || (hl !== null && hl.has(i)), faded: hl !== null && !hl.has(i),
      };
    };
    const first = [];
    if (highlightCenter >= 0) first.push(highlightCenter);
    if (state.hovered >= 0 && state.hovered !== highlightCenter) first.push(state.hovered);
    for (const i of first) {
      if (!mask[i]) continue;
      seen.add(i);
      const c = make(i, true);
      if (c) yield c;
    }
    if (hl !== null) {
      const around = [...hl].filter((i) => !seen.has(i) && mask[i]).sort((a, b) => weight[b] - weight[a]);
      for (const i of around) { seen.add(i); const c = make(i, false); if (c) yield c; }
    }
    for (const i of labelOrder) {
      if (seen.has(i)) continue;
      const c = make(i, false);
      if (c) yield c;
    }
  }
  // labels keep clear of the legend and of the panel (which lies over the map)
  function blockedBoxes() {
    const g = $("graph").getBoundingClientRect();
    const out = [];
    for (const e of [legend, $("panel")]) {
      if (e.hidden || !e.childElementCount) continue;
      const b = e.getBoundingClientRect();
      if (b.width && b.height) out.push({ x: b.left - g.left - 4, y: b.top - g.top - 4, w: b.width + 8, h: b.height + 8 });
    }
    return out;
  }
  const panelWidth = () => ($("panel").hidden ? 0 : $("panel").getBoundingClientRect().width);
  const drawLabels = () => { state.labels = labelLayer.draw(labelCandidates(), blockedBoxes(), L.max); };
  renderer.on("render", drawLabels);

  /* ---------------------------------------------------------------- tooltip */
  const tip = $("tooltip");
  function showTip(i) {
    const p = renderer.toScreen(i);
    tip.replaceChildren();
    tip.append(el("strong", null, n.name[i]));
    const bits = [typeOf(i)];
    if (overview && n.cl[i] >= 0) bits.push("cluster " + (n.cl[i] + 1));
    if (!isPaper(i)) {
      bits.push(n.pc[i].toLocaleString("en-US") + (n.pc[i] === 1 ? " paper" : " papers"));
      const f = firstYear(i);
      if (f) bits.push("since " + f);
    } else if (paperYear[i] > 0) {
      bits.push(String(paperYear[i]));
    }
    tip.append(el("div", null, bits.join(" · ")));
    tip.hidden = false;
    const box = $("graph").getBoundingClientRect();
    const x = Math.min(p.x + 14, box.width - tip.offsetWidth - 4);
    const y = p.y + 14 + tip.offsetHeight > box.height ? p.y - 14 - tip.offsetHeight : p.y + 14;
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }

  /* ---------------------------------------------------------------- highlight + selection */
  let highlightSet = null;
  let highlightCenter = -1;
  function neighbourhood(i) {
    const set = new Set([i]);
    for (let a = adjStart[i]; a < adjStart[i + 1]; a++) if (mask[adjNode[a]]) set.add(adjNode[a]);
    return set;
  }
  function offMapNeighbours(x) {
    const set = new Set();
    const co = XN.co[x];
    for (let k = 0; k < co.length; k += 2) set.add(co[k]);
    return set;
  }
  function paperEntities(r) {
    const set = new Set();
    const ents = P.ents[r];
    for (let k = 0; k < ents.length; k += 2) if (ents[k] >= 0) set.add(ents[k]);
    return set;
  }
  function highlight(center, set, star) {
    highlightSet = set;
    highlightCenter = center;
    state.highlighted = set ? set.size : 0;
    // a selection dims the rest of the map; a hover only emphasises
    renderer.setHighlight(center, set, star, state.sel !== null);
  }
  function highlightSelection() {
    const s = state.sel;
    if (!s) highlight(-1, null, false);
    else if (s.node >= 0) highlight(s.node, neighbourhood(s.node), false);
    else if (s.paper !== undefined) highlight(-1, paperEntities(s.paper), true);
    else highlight(-1, offMapNeighbours(s.xn), true);
  }
  // sel: {node: i} or, on the overview, {node: -1, paper: row} or {node: -1, xn: row}
  function select(sel, opts) {
    const o = opts || {};
    if (!sel) {
      state.sel = null;
      renderer.select(-1);
      highlight(-1, null, false);
      closePanel();
      if (o.hash !== false && location.hash) history.replaceState(null, "", location.pathname + location.search);
      return;
    }
    if (sel.node >= 0) reveal(sel.node);
    else for (const i of sel.paper !== undefined ? paperEntities(sel.paper) : offMapNeighbours(sel.xn)) reveal(i);
    state.sel = sel;
    renderer.select(sel.node);
    highlightSelection();
    showPanel(sel);
    const key = keyOf(sel);
    if (o.hash !== false) history.replaceState(null, "", "#node=" + encodeURIComponent(key));
    // two animation frames after the camera has moved, the framed selection has been painted
    const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => {
      if (state.sel !== sel) return;
      state.selectPaintMs = performance.now();
      if (state.searchStartMs !== null) {
        state.lastSearchMs = state.selectPaintMs - state.searchStartMs;
        state.searchStartMs = null;
      }
    }));
    // the panel covers the map's right side: frame the selection in what is left
    if (o.frame !== false) renderer.frame(highlightSet ? [...highlightSet].filter((i) => mask[i]) : [], painted, panelWidth());
    else painted();
  }
  const selectNode = (i, opts) => select({ node: i }, opts);
  const selectPaper = (r, opts) => select({ node: -1, paper: r }, opts);
  const selectOffMap = (x, opts) => select({ node: -1, xn: x }, opts);
  const keyOf = (sel) => (sel.node >= 0 ? n.key[sel.node] : sel.paper !== undefined ? P.key[sel.paper] : XN.key[sel.xn]);

  renderer.on("click", (i) => selectNode(i));
  renderer.on("stage", () => select(null));
  renderer.on("hover", (i) => {
    state.hovered = i;
    if (!state.sel) highlight(i, neighbourhood(i), false);
    showTip(i);
  });
  renderer.on("leave", () => {
    state.hovered = -1;
    tip.hidden = true;
    highlightSelection();
  });

  /* ---------------------------------------------------------------- side panel */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function nodeLink(i, text) {
    const a = el("a", "node", text);
    a.href = "#node=" + encodeURIComponent(n.key[i]);
    a.addEventListener("click", (e) => { e.preventDefault(); selectNode(i); });
    return a;
  }
  function paperLink(r) {
    const a = el("a", "node", P.title[r]);
    a.href = "#node=" + encodeURIComponent(P.key[r]);
    a.addEventListener("click", (e) => { e.preventDefault(); selectPaper(r); });
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
  // an entity a paper links to: on the map (its node index) or off it (-1 - its row of xn)
  const refName = (ref) => (ref >= 0 ? n.name[ref] : XN.name[-1 - ref]);
  const refType = (ref) => (ref >= 0 ? typeOf(ref) : data.types[XN.t[-1 - ref]]);
  function offMapLink(x) {
    const a = el("a", "node", XN.name[x]);
    a.href = "#node=" + encodeURIComponent(XN.key[x]);
    a.addEventListener("click", (e) => { e.preventDefault(); selectOffMap(x); });
    return a;
  }
  // text with <mark>s over [start, end) spans; spans come sorted and non-overlapping
  function marked(text, spans) {
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const [start, end, target] of spans) {
      if (start < at || end > text.length) continue;
      frag.append(text.slice(at, start));
      const m = el("mark", "t-" + refType(target), text.slice(start, end));
      m.title = refName(target) + " (" + refType(target) + ")";
      m.dataset.node = target >= 0 ? n.key[target] : XN.key[-1 - target];
      frag.append(m);
      at = end;
    }
    frag.append(text.slice(at));
    return frag;
  }
  function yearCounts(i) {
    const m = new Map();
    for (let y = 0; y < NY; y++) if (hist[i * NY + y]) m.set(Y0 + y, hist[i * NY + y]);
    return m;
  }
  function firstYear(i) {
    for (let y = 0; y < NY; y++) if (hist[i * NY + y]) return Y0 + y;
    return null;
  }
  function paperMeta(year, url) {
    const meta = el("div", "meta");
    if (year) meta.append(String(year));
    if (url && /^https?:\/\//.test(url)) {
      const a = el("a", null, url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      if (year) meta.append(" · ");
      meta.append(a);
    }
    return meta;
  }

  function showPanel(sel) {
    const body = $("panel-body");
    body.replaceChildren();
    if (sel.node < 0 && sel.paper !== undefined) showOverviewPaper(body, sel.paper);
    else if (sel.node < 0) showOffMap(body, sel.xn);
    else if (isPaper(sel.node)) showFullPaper(body, sel.node);
    else showEntity(body, sel.node);
    $("panel").hidden = false;
  }

  function showFullPaper(body, i) {
    const p = data.papers[i] || { title: n.name[i], abstract: "", hl: [] };
    const spans = (f) => p.hl.filter((h) => h[0] === f).map((h) => [h[1], h[2], h[3]]);
    body.append(el("div", "kind", "paper"));
    const h2 = el("h2");
    h2.append(marked(p.title, spans(0)));
    body.append(h2, paperMeta(p.year, p.url));
    const abs = el("p", "abstract");
    abs.append(marked(p.abstract, spans(1)));
    body.append(abs, el("h3", null, "Links"));
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
  }

  function showOverviewPaper(body, r) {
    const spans = (f) => P.hl[r].filter((h) => h[0] === f).map((h) => [h[1], h[2], h[3]]);
    body.append(el("div", "kind", "paper"));
    const h2 = el("h2");
    h2.append(marked(P.title[r], spans(0)));
    body.append(h2, paperMeta(P.year[r], P.url[r]));
    const abs = el("p", "abstract");
    abs.append(marked(P.abs[r], spans(1)));
    body.append(abs, el("h3", null, "Links"));
    const ul = el("ul", "links");
    const ents = P.ents[r];
    for (let k = 0; k < ents.length; k += 2) {
      const ref = ents[k], role = data.roles[ents[k + 1]];
      const li = el("li");
      if (role) li.append(el("span", "role", role));
      li.append(ref >= 0 ? nodeLink(ref, n.name[ref]) : offMapLink(-1 - ref));
      li.append(el("span", "type", " " + refType(ref) + (ref >= 0 ? "" : " (not on the map)")));
      ul.append(li);
    }
    body.append(ul);
    state.panel = "paper";
  }

  // co: [map node, shared papers, map node, shared papers, …]
  function appendCoList(body, heading, co) {
    if (!co.length) return;
    body.append(el("h3", null, heading));
    const ul = el("ul", "co");
    for (let k = 0; k < co.length; k += 2) {
      const li = el("li");
      li.append(nodeLink(co[k], n.name[co[k]]), el("span", "count", " " + co[k + 1].toLocaleString("en-US")));
      ul.append(li);
    }
    body.append(ul);
  }

  function showOffMap(body, x) {
    body.append(el("div", "kind", data.types[XN.t[x]] + " · not on the map"));
    body.append(el("h2", null, XN.name[x]));
    const facts = [XN.pc[x].toLocaleString("en-US") + (XN.pc[x] === 1 ? " paper" : " papers")];
    if (XN.fy[x]) facts.push("first year " + XN.fy[x]);
    body.append(el("div", "meta paper-count", facts.join(" · ")));
    appendCoList(body, "On the map, most often with", XN.co[x]);
    body.append(el("div", "meta more", "Not among the " + N.toLocaleString("en-US") + " best-supported entities "
      + "drawn here; its papers: paperkg view GRAPH --full --focus \"" + XN.name[x] + "\""));
    state.panel = "entity";
  }

  function showEntity(body, i) {
    body.append(el("div", "kind", typeOf(i) + (overview && n.cl[i] >= 0 ? " · cluster " + (n.cl[i] + 1) : "")));
    body.append(el("h2", null, n.name[i]));
    const aliases = data.aliases[i] || [];
    if (aliases.length) body.append(el("div", "meta aliases", "Also: " + aliases.join(", ")));
    const facts = [n.pc[i].toLocaleString("en-US") + (n.pc[i] === 1 ? " paper" : " papers")];
    const first = firstYear(i);
    if (first) facts.push("first year " + first);
    if (!fullRange()) facts.push(weight[i].toLocaleString("en-US") + " in " + range[0] + "–" + range[1]);
    body.append(el("div", "meta paper-count", facts.join(" · ")));
    if (NY) {
      const counts = yearCounts(i);
      if (counts.size) {
        // from the entity's first year to the graph's last (at most CHART_YEARS bars: a stray early
        // paper would squeeze the rest into slivers); years outside the range drawn pale
        const last = Y0 + NY - 1;
        const from = Math.max(first, last - CHART_YEARS + 1);
        const chart = el("div", "chart");
        chart.append(paperkgYearChart(counts, from, last, range));
        let earlier = 0;
        for (const [y, c] of counts) if (y < from) earlier += c;
        if (earlier) {
          const what = earlier.toLocaleString("en-US") + (earlier === 1 ? " paper" : " papers");
          chart.append(el("div", "meta", what + " before " + from));
        }
        body.append(chart);
      }
    }
    appendCoList(body, "Most often with", n.co[i] || []);
    body.append(el("h3", null, "Papers"));
    const ul = el("ul", "links");
    let shown = 0, total = n.pc[i];
    if (overview) {
      const rows = n.pp[i], roles = n.ppr[i];
      rows.forEach((r, k) => {
        const li = el("li");
        const role = data.roles[roles[k]];
        if (role) li.append(el("span", "role", role));
        li.append(paperLink(r));
        if (P.year[r]) li.append(" (" + P.year[r] + ")");
        ul.append(li);
      });
      shown = rows.length;
    } else {
      const limit = 300;
      for (let a = adjStart[i]; a < adjStart[i + 1]; a++) {
        const k = adjEdge[a], j = adjNode[a];
        if (!isPaper(j) || shown >= limit) continue;
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
    }
    body.append(ul);
    if (total > shown) {
      body.append(el("div", "meta more", "… and " + (total - shown).toLocaleString("en-US") + " more papers: "
        + "paperkg view GRAPH --full --focus \"" + n.name[i] + "\""));
    }
    state.panel = "entity";
  }
  function closePanel() {
    $("panel").hidden = true;
    $("panel-body").replaceChildren();
    state.panel = null;
  }
  $("panel-close").addEventListener("click", () => select(null));
  // Escape closes the panel (the search box handles its own Escape first)
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.sel && document.activeElement !== $("search")) select(null);
  });

  /* ---------------------------------------------------------------- search */
  const input = $("search");
  const list = $("suggestions");
  let results = [];
  let active = -1;
  const weightOf = (kind, i) => (kind === NODE ? n.pc[i] : kind === OFF ? XN.pc[i] : 0);
  const nameOf = (kind, i) => (kind === NODE ? n.name[i] : kind === OFF ? XN.name[i] : P.title[i]);
  const keyOfHit = (kind, i) => (kind === NODE ? n.key[i] : kind === OFF ? XN.key[i] : P.key[i]);
  const typeOfHit = (kind, i) => (kind === NODE ? typeOf(i) : kind === OFF ? data.types[XN.t[i]] : "paper");

  function find(q, limit) {
    const scored = [];
    for (const [text, kind, i, alias] of entries) {
      const at = text.indexOf(q);
      if (at < 0) continue;
      const rank = text === q ? 0 : at === 0 ? 1 : /[\s\-_/(]/.test(text[at - 1]) ? 2 : 3;
      // on the map first, then entities off it, then paper titles
      scored.push([rank + kind * 0.25, -weightOf(kind, i), kind, i, alias]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || nameOf(a[2], a[3]).length - nameOf(b[2], b[3]).length);
    const seen = new Set();
    const out = [];
    for (const [, , kind, i, alias] of scored) {
      const id = kind + ":" + i;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ kind, i, alias });
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
      li.dataset.node = keyOfHit(r.kind, r.i);
      li.append(el("span", "name", nameOf(r.kind, r.i)), el("span", "type", typeOfHit(r.kind, r.i)));
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
    input.value = nameOf(r.kind, r.i);
    if (r.kind === NODE) selectNode(r.i);
    else if (r.kind === OFF) selectOffMap(r.i);
    else selectPaper(r.i);
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
    if (i !== undefined) {
      if (!state.sel || state.sel.node !== i) selectNode(i, { hash: false });
      return;
    }
    const r = paperRow.get(key);
    if (r !== undefined && (!state.sel || state.sel.paper !== r)) { selectPaper(r, { hash: false }); return; }
    const x = xnRow.get(key);
    if (x !== undefined && (!state.sel || state.sel.xn !== x)) selectOffMap(x, { hash: false });
  }
  window.addEventListener("hashchange", openHash);

  /* ---------------------------------------------------------------- start */
  applyFilters();
  performance.mark("paperkg:filters");
  // ready resolves when the renderer has drawn its first frame; one animation frame later
  // that frame has been composited, so firstDrawMs is when the graph is on screen
  renderer.ready.then(() => {
    drawLabels(); // the first frame was drawn before the labels' listener existed
    requestAnimationFrame(() => {
      state.firstDrawMs = performance.now();
      openHash();
      state.ready = true;
      state.readyMs = performance.now();
    });
  });

  // read-only hook for tests and benchmarks
  const selectedKey = () => (state.sel ? keyOf(state.sel) : null);
  window.paperkgViewer = Object.freeze({
    get ready() { return state.ready; },
    get mode() { return data.mode; },
    get renderer() { return renderer.kind; },
    get nodeCount() { return N; },
    get edgeCount() { return E; },
    get visibleNodes() { return state.visible; },
    get drawnNodes() { return renderer.drawnCount(); },
    get drawnLinks() { return renderer.drawnLinks(); },
    get selected() { return selectedKey(); },
    get hovered() { return state.hovered >= 0 ? n.key[state.hovered] : null; },
    get panel() { return state.panel; },
    get highlighted() { return state.highlighted; },
    get highlightedKeys() { return highlightSet ? [...highlightSet].map((i) => n.key[i]) : []; },
    get colorMode() { return colorMode; },
    get yearRange() { return NY ? [range[0], range[1]] : null; },
    // the labels drawn in the last frame: key, text, font size and box in page pixels
    get labels() {
      const g = $("graph").getBoundingClientRect();
      return state.labels.map((p) => ({
        key: n.key[p.i], text: p.text, px: p.px,
        x: g.left + p.box.x, y: g.top + p.box.y, w: p.box.w, h: p.box.h,
      }));
    },
    nodeColor(key) { const i = byKey.get(key); return i === undefined ? null : look.color[i]; },
    nodeVisible(key) { const i = byKey.get(key); return i === undefined ? null : !!mask[i]; },
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
        selectPaintMs: state.selectPaintMs, lastSearchMs: state.lastSearchMs, lastFilterMs: state.lastFilterMs,
      };
    },
  });
})();
