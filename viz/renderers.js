/* paperkg viewer: the renderer adapter.
 *
 * app.js (search, filters, panel, deep link) is written once against this
 * interface; each renderer implements it:
 *
 *   createRenderer(kind, container, data) -> {
 *     kind,                        "vis" or "sigma"
 *     ready: Promise,              resolves after the first frame is drawn
 *     on(event, fn),               "click"(i) "stage"() "hover"(i) "leave"()
 *     setVisible(mask),            Uint8Array, 1 = shown
 *     setHighlight(center, set),   node -1 / null: none; else its neighbourhood Set to emphasise
 *     select(i),                   -1 clears
 *     focus(i),                    camera onto node i
 *     drawnCount(),                nodes the renderer itself currently draws
 *     toScreen(i),                 {x, y} of node i in container pixels
 *     setLinks(on),                draw every link, or only those around the selection
 *     resize(),                    the container changed size (panel opened, window resized)
 *     relax: fn(on) | null,        physics toggle (vis only)
 *   }
 *
 * Node indices are the payload's (see graphbuild/view.py: view_data).
 */
"use strict";

function paperkgCreateRenderer(kind, container, data) {
  return kind === "vis" ? createVisRenderer(container, data) : createSigmaRenderer(container, data);
}

function makeEmitter() {
  const handlers = {};
  return {
    on(event, fn) { (handlers[event] = handlers[event] || []).push(fn); },
    emit(event, arg) { for (const fn of handlers[event] || []) fn(arg); },
  };
}

function nodeColors(data) {
  const n = data.n;
  const out = new Array(n.key.length);
  for (let i = 0; i < out.length; i++) out[i] = data.colors[data.types[n.t[i]]];
  return out;
}

function jsonBlock(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

/* ------------------------------------------------------------------ vis-network (pyvis) */

const FADE_MAX_NODES = 1500;

function createVisRenderer(container, data) {
  const ev = makeEmitter();
  const n = data.n;
  const N = n.key.length;
  const base = nodeColors(data);
  const visNodes = jsonBlock("paperkg-vis-nodes");
  const labelled = new Set(n.lab);
  // Labels are drawn on the canvas (never HTML); only the best-supported nodes get one up front.
  for (const node of visNodes) if (labelled.has(node.id)) node.label = n.name[node.id];
  const nodes = new vis.DataSet(visNodes);
  const edges = new vis.DataSet(jsonBlock("paperkg-vis-edges"));
  const network = new vis.Network(container, { nodes, edges }, jsonBlock("paperkg-vis-options"));
  const hidden = new Uint8Array(N);
  const color = base.slice();
  let selected = -1;

  network.on("click", (p) => (p.nodes.length ? ev.emit("click", p.nodes[0]) : ev.emit("stage")));
  network.on("hoverNode", (p) => ev.emit("hover", p.node));
  network.on("blurNode", () => ev.emit("leave"));
  const ready = new Promise((resolve) => network.once("afterDrawing", () => resolve()));

  function labelFor(i) {
    return labelled.has(i) || i === selected ? n.name[i] : undefined;
  }

  return {
    kind: "vis",
    ready,
    on: ev.on,
    setVisible(mask) {
      const upd = [];
      for (let i = 0; i < N; i++) {
        const h = mask[i] ? 0 : 1;
        if (h !== hidden[i]) { hidden[i] = h; upd.push({ id: i, hidden: !!h }); }
      }
      if (upd.length) nodes.update(upd);
    },
    setHighlight(center, set) {
      // fading means re-colouring every node: affordable on small views only; vis itself
      // still emphasises the selected node's links on big ones
      if (N > FADE_MAX_NODES) return;
      const upd = [];
      for (let i = 0; i < N; i++) {
        const want = set === null || set.has(i) ? base[i] : data.faded;
        if (want !== color[i]) { color[i] = want; upd.push({ id: i, color: want }); }
      }
      if (upd.length) nodes.update(upd);
    },
    select(i) {
      const prev = selected;
      selected = i;
      const upd = [];
      if (prev >= 0) upd.push({ id: prev, label: labelFor(prev) });
      if (i >= 0) upd.push({ id: i, label: n.name[i].length > 60 ? n.name[i].slice(0, 57) + "…" : n.name[i] });
      if (upd.length) nodes.update(upd);
      if (i >= 0) network.selectNodes([i]); else network.unselectAll();
    },
    focus(i) {
      const animation = N > FADE_MAX_NODES ? false : { duration: 300, easingFunction: "easeInOutQuad" };
      network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation });
    },
    toScreen(i) {
      return network.canvasToDOM(network.getPosition(i));
    },
    setLinks(on) {
      network.setOptions({ edges: { hidden: !on } });
    },
    resize() {
      network.setSize("100%", "100%");
      network.redraw();
    },
    drawnCount() {
      // vis keeps the ids of the nodes it draws (hidden ones excluded) in body.nodeIndices
      return network.body.nodeIndices.length;
    },
    relax: N <= data.relaxMax
      ? (on) => network.setOptions({
          physics: on
            ? { enabled: true, solver: "forceAtlas2Based", stabilization: false,
                forceAtlas2Based: { gravitationalConstant: -40, springLength: 80, avoidOverlap: 0.2 } }
            : { enabled: false },
        })
      : null,
  };
}

/* ------------------------------------------------------------------ sigma.js + graphology */

function createSigmaRenderer(container, data) {
  const ev = makeEmitter();
  const n = data.n;
  const N = n.key.length;
  const base = nodeColors(data);
  const labelled = new Set(n.lab);
  const graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  // sigma's y axis points up; flip so both renderers show the same picture
  for (let i = 0; i < N; i++) {
    graph.addNode(i, {
      x: n.x[i], y: -n.y[i], size: Math.max(1.5, n.s[i] * 0.6), color: base[i],
      label: n.name[i], forceLabel: labelled.has(i),
    });
  }
  const es = data.e.s, et = data.e.t;
  for (let k = 0; k < es.length; k++) if (!graph.hasEdge(es[k], et[k])) graph.addEdge(es[k], et[k]);

  const hidden = new Uint8Array(N);
  let hl = null; // Set of node indices around hlCenter
  let hlCenter = -1;
  let selected = -1;
  let linksOn = data.linksOn;
  const MAX_FORCED_LABELS = 150;
  // Highlighting only touches the neighbourhood (emphasis, labels, dark edges) so that
  // a hover or a selection re-processes a few nodes, not the whole graph.
  const line = window.SigmaPrograms.EdgeLineProgram;
  const sigma = new Sigma(graph, container, {
    // one cheap edge program (the default "arrow" and rectangle ones cost shader compiles
    // and triangles that software WebGL pays for on every frame)
    edgeProgramClasses: { line, arrow: line },
    defaultEdgeColor: data.edgeColor,
    // not hideEdgesOnMove: in sigma 3 it re-processes the whole graph whenever the camera moves,
    // while drawing every edge again costs only a few ms
    hideEdgesOnMove: false,
    labelRenderedSizeThreshold: 9,
    labelDensity: 0.4,
    nodeReducer(node, attrs) {
      const i = +node;
      if (hidden[i]) return { ...attrs, hidden: true };
      if (i === selected || i === hlCenter) return { ...attrs, highlighted: true, forceLabel: true };
      if (hl !== null && hl.has(i)) return { ...attrs, highlighted: true, forceLabel: hl.size <= MAX_FORCED_LABELS };
      return attrs;
    },
    edgeReducer(edge, attrs) {
      if (hlCenter < 0) return linksOn ? attrs : { ...attrs, hidden: true };
      const ext = graph.extremities(edge);
      if (+ext[0] === hlCenter || +ext[1] === hlCenter) return { ...attrs, color: "#3e4652" };
      return linksOn ? attrs : { ...attrs, hidden: true };
    },
  });
  // a scheduled full refresh drops sigma's per-node program indices until it runs;
  // partial repaints in between must wait for it (they are folded into it)
  let pendingFull = false;
  sigma.on("afterRender", () => { pendingFull = false; });
  function repaint(nodes, centers) {
    if (pendingFull) return;
    const edges = new Set();
    for (const c of centers) if (c >= 0) for (const e of graph.edges(String(c))) edges.add(e);
    sigma.refresh({
      partialGraph: { nodes: [...nodes].filter((i) => i >= 0).map(String), edges: [...edges] },
      skipIndexation: true,
      schedule: true,
    });
  }

  // Clicks are resolved here, geometrically against the drawn discs: sigma 3.0.2's own click
  // picking misses nodes after partial repaints (and is skipped after tiny pointer moves).
  function nodeUnder(x, y) {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < N; i++) {
      const d = sigma.getNodeDisplayData(String(i));
      if (!d || d.hidden) continue;
      const a = graph.getNodeAttributes(String(i));
      const p = sigma.graphToViewport({ x: a.x, y: a.y });
      const dist = Math.hypot(p.x - x, p.y - y);
      if (dist <= sigma.scaleSize(d.size) + 2 && dist < bestD) { best = i; bestD = dist; }
    }
    return best;
  }
  let down = null;
  container.addEventListener("mousedown", (e) => { down = [e.clientX, e.clientY]; }, true);
  container.addEventListener("click", (e) => {
    if (down && Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return; // a pan, not a click
    const box = container.getBoundingClientRect();
    const i = nodeUnder(e.clientX - box.left, e.clientY - box.top);
    if (i >= 0) ev.emit("click", i); else ev.emit("stage");
  }, true);
  sigma.on("enterNode", (e) => ev.emit("hover", +e.node));
  sigma.on("leaveNode", () => ev.emit("leave"));
  // the constructor already rendered once; the frame is on screen after the next animation frame
  const ready = new Promise((resolve) => requestAnimationFrame(() => resolve()));

  return {
    kind: "sigma",
    ready,
    on: ev.on,
    setVisible(mask) {
      let changed = false;
      for (let i = 0; i < N; i++) {
        const h = mask[i] ? 0 : 1;
        if (h !== hidden[i]) { hidden[i] = h; changed = true; }
      }
      if (!changed) return;
      pendingFull = true;
      sigma.refresh({ schedule: true });
    },
    setHighlight(center, set) {
      const touched = new Set([...(hl || []), ...(set || []), hlCenter, center]);
      const centers = [hlCenter, center];
      hl = set;
      hlCenter = center;
      repaint(touched, centers);
    },
    select(i) {
      const prev = selected;
      selected = i;
      repaint([prev, i], []);
    },
    resize() {
      sigma.resize();
      sigma.render();
    },
    setLinks(on) {
      if (on === linksOn) return;
      linksOn = on;
      pendingFull = true;
      sigma.refresh({ schedule: true });
    },
    focus(i) {
      const d = sigma.getNodeDisplayData(i);
      if (!d) return;
      const target = { x: d.x, y: d.y, ratio: Math.min(sigma.getCamera().ratio, 0.25) };
      // software WebGL pays per frame: big graphs jump instead of animating
      if (graph.size > 5000) sigma.getCamera().setState(target);
      else sigma.getCamera().animate(target, { duration: 300 });
    },
    toScreen(i) {
      const a = graph.getNodeAttributes(String(i));
      return sigma.graphToViewport({ x: a.x, y: a.y });
    },
    drawnCount() {
      let c = 0;
      graph.forEachNode((node) => { const d = sigma.getNodeDisplayData(node); if (d && !d.hidden) c++; });
      return c;
    },
    relax: null,
  };
}
