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
 *     drawnLinks(),                links (node pairs) it currently draws in full, all or none
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
    drawnLinks() {
      return network.body.edgeIndices.length;
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

// sigma's disc program without instancing: same shaders and look, but each node writes its
// three vertices itself. Software WebGL (SwiftShader, no GPU) pays ~50 µs per *instance*
// of an instanced draw, i.e. ~1 s per frame at 20k nodes; plain triangles cost ~10x less.
function plainCircleProgram() {
  const Base = window.SigmaPrograms.NodeCircleProgram;
  const angles = Base.prototype.getDefinition.call(null).CONSTANT_DATA.map((v) => v[0]);
  return class PlainCircleProgram extends Base {
    // no picking buffer: hover and click are resolved geometrically (createSigmaRenderer's
    // nodeUnder), so sigma's second pass drawing every node into an offscreen buffer on
    // each frame is skipped (~30% of a frame here)
    constructor(gl, _pickingBuffer, renderer) {
      super(gl, null, renderer);
    }
    getDefinition() {
      const d = Base.prototype.getDefinition.call(this);
      // no CONSTANT_ATTRIBUTES key at all: that is what makes sigma draw without instancing
      return {
        VERTICES: d.VERTICES, METHOD: d.METHOD, UNIFORMS: d.UNIFORMS,
        VERTEX_SHADER_SOURCE: d.VERTEX_SHADER_SOURCE, FRAGMENT_SHADER_SOURCE: d.FRAGMENT_SHADER_SOURCE,
        ATTRIBUTES: d.ATTRIBUTES.concat(d.CONSTANT_ATTRIBUTES),
      };
    }
    processVisibleItem(id, start, data) {
      const per = this.ATTRIBUTES_ITEMS_COUNT; // the angle is each vertex's last item
      for (let v = 0; v < angles.length; v++) {
        super.processVisibleItem(id, start + v * per, data);
        this.array[start + v * per + per - 1] = angles[v];
      }
    }
  };
}

const HIGHLIGHT_LINK = "#3e4652";

function createSigmaRenderer(container, data) {
  const ev = makeEmitter();
  const n = data.n;
  const N = n.key.length;
  const base = nodeColors(data);
  const labelled = new Set(n.lab);
  // sigma's y axis points up; flip so both renderers show the same picture
  const gx = Float64Array.from(n.x);
  const gy = Float64Array.from(n.y, (y) => -y);
  // Links go into the graph only while they are drawn: sigma processes every edge of its graph
  // on each full refresh, hidden or not (~1 s for 125k links at 20k nodes). The links around the
  // highlighted node are drawn on a layer of their own instead (drawNeighbourhood).
  let withLinks = false;
  function buildGraph(links) {
    const g = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    for (let i = 0; i < N; i++) {
      g.addNode(i, {
        x: gx[i], y: gy[i], size: Math.max(1.5, n.s[i] * 0.6), color: base[i],
        label: n.name[i], forceLabel: labelled.has(i),
      });
    }
    if (links) {
      // one edge per node pair (the payload has one per relationship); numeric pair ids
      // instead of graph.hasEdge + generated keys: 3x faster on big graphs
      const es = data.e.s, et = data.e.t;
      const seen = new Set();
      for (let k = 0; k < es.length; k++) {
        const a = Math.min(es[k], et[k]), b = Math.max(es[k], et[k]);
        const id = a * N + b;
        if (a === b || seen.has(id)) continue;
        seen.add(id);
        g.addEdgeWithKey(id, a, b);
      }
    }
    withLinks = links;
    return g;
  }
  let linksOn = !!data.linksOn;
  let graph = buildGraph(linksOn);
  performance.mark("paperkg:graph");
  const hidden = new Uint8Array(N);
  let hl = null; // Set of node indices around hlCenter
  let hlCenter = -1;
  let selected = -1;
  let hovered = -1;
  const MAX_FORCED_LABELS = 150;
  // Highlighting only touches the neighbourhood (emphasis, labels) so that a hover or a
  // selection re-processes a few nodes, not the whole graph.
  const sigma = new Sigma(graph, container, {
    // one cheap edge program (the default rectangle one costs a shader compile and
    // triangles that software WebGL pays for on every frame); no arrows are drawn
    edgeProgramClasses: { line: window.SigmaPrograms.EdgeLineProgram },
    defaultEdgeType: "line",
    nodeProgramClasses: { circle: plainCircleProgram() },
    defaultEdgeColor: data.edgeColor,
    // not hideEdgesOnMove: in sigma 3 it re-processes the whole graph whenever the camera moves,
    // while drawing every edge again costs only a few ms
    hideEdgesOnMove: false,
    labelRenderedSizeThreshold: 9,
    labelDensity: 0.4,
    nodeReducer(node, attrs) {
      const i = +node;
      if (hidden[i]) return { ...attrs, hidden: true };
      if (i === selected || i === hlCenter || i === hovered) return { ...attrs, highlighted: true, forceLabel: true };
      if (hl !== null && hl.has(i)) return { ...attrs, highlighted: true, forceLabel: hl.size <= MAX_FORCED_LABELS };
      return attrs;
    },
    edgeReducer(edge, attrs) {
      return linksOn ? attrs : { ...attrs, hidden: true };
    },
  });

  // The highlighted node's links, dark, on a 2D layer between sigma's edges and nodes:
  // redrawn after every sigma frame (camera moves included), a few hundred lines at most.
  sigma.createCanvasContext("paperkgLinks", { afterLayer: "edges" });
  const linkCtx = sigma.getCanvases().paperkgLinks.getContext("2d");
  {
    // sized like sigma's own layers (sigma.resize does it from now on, on size changes only)
    const canvas = linkCtx.canvas, pr = window.devicePixelRatio || 1, { width, height } = sigma.getDimensions();
    Object.assign(canvas.style, { width: width + "px", height: height + "px" });
    canvas.width = width * pr;
    canvas.height = height * pr;
    linkCtx.setTransform(pr, 0, 0, pr, 0, 0);
  }
  function drawNeighbourhood() {
    const { width, height } = sigma.getDimensions();
    linkCtx.clearRect(0, 0, width, height);
    if (hlCenter < 0 || hl === null || hidden[hlCenter]) return;
    const c = sigma.graphToViewport({ x: gx[hlCenter], y: gy[hlCenter] });
    linkCtx.strokeStyle = HIGHLIGHT_LINK;
    linkCtx.lineWidth = 1;
    linkCtx.beginPath();
    for (const j of hl) {
      if (j === hlCenter || hidden[j]) continue;
      const p = sigma.graphToViewport({ x: gx[j], y: gy[j] });
      linkCtx.moveTo(c.x, c.y);
      linkCtx.lineTo(p.x, p.y);
    }
    linkCtx.stroke();
  }

  // a scheduled full refresh drops sigma's per-node program indices until it runs;
  // partial repaints in between must wait for it (they are folded into it)
  let pendingFull = false;
  sigma.on("afterRender", () => { pendingFull = false; drawNeighbourhood(); });
  function fullRefresh() {
    pendingFull = true;
    sigma.refresh({ schedule: true });
  }
  function repaint(nodes) {
    if (pendingFull) return;
    sigma.refresh({
      partialGraph: { nodes: [...nodes].filter((i) => i >= 0).map(String) },
      skipIndexation: true,
      schedule: true,
    });
  }

  // Clicks and hovers are resolved here, geometrically against the drawn discs: the node
  // program has no picking pass, and sigma 3.0.2's own click picking missed nodes after
  // partial repaints anyway (and is skipped after tiny pointer moves). Graph → viewport is
  // affine (normalisation, camera, viewport), so three projected points give the whole map.
  const radius = Float64Array.from(n.s, (v) => Math.max(1.5, v * 0.6));
  function nodeUnder(x, y) {
    const o = sigma.graphToViewport({ x: 0, y: 0 });
    const ux = sigma.graphToViewport({ x: 1, y: 0 });
    const uy = sigma.graphToViewport({ x: 0, y: 1 });
    const ax = ux.x - o.x, ay = ux.y - o.y, bx = uy.x - o.x, by = uy.y - o.y;
    const k = sigma.scaleSize(1);
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < N; i++) {
      if (hidden[i]) continue;
      const dx = o.x + ax * gx[i] + bx * gy[i] - x;
      const dy = o.y + ay * gx[i] + by * gy[i] - y;
      const dist = Math.sqrt(dx * dx + dy * dy);
      if (dist <= k * radius[i] + 2 && dist < bestD) { best = i; bestD = dist; }
    }
    return best;
  }
  const inContainer = (e) => {
    const box = container.getBoundingClientRect();
    return nodeUnder(e.clientX - box.left, e.clientY - box.top);
  };
  let down = null;
  container.addEventListener("mousedown", (e) => { down = [e.clientX, e.clientY]; }, true);
  container.addEventListener("click", (e) => {
    if (down && Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return; // a pan, not a click
    const i = inContainer(e);
    if (i >= 0) ev.emit("click", i); else ev.emit("stage");
  }, true);
  // hover: at most one lookup per frame, on the latest pointer position
  let moved = null;
  container.addEventListener("mousemove", (e) => {
    if (moved === null) {
      requestAnimationFrame(() => {
        const m = moved;
        moved = null;
        if (m) setHovered(inContainer(m));
      });
    }
    moved = e;
  });
  container.addEventListener("mouseleave", () => { moved = null; setHovered(-1); });
  function setHovered(i) {
    if (i === hovered) return;
    const prev = hovered;
    hovered = i;
    repaint([prev, i]); // the hovered node is drawn emphasised, with its label (nodeReducer)
    if (prev >= 0) ev.emit("leave");
    if (i >= 0) ev.emit("hover", i);
  }
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
      if (changed) fullRefresh();
    },
    setHighlight(center, set) {
      const touched = new Set([...(hl || []), ...(set || []), hlCenter, center]);
      hl = set;
      hlCenter = center;
      repaint(touched);
    },
    select(i) {
      const prev = selected;
      selected = i;
      repaint([prev, i]);
    },
    resize() {
      // the ResizeObserver's first call reports the size sigma was created at: a full
      // render for nothing (~150 ms at 20k nodes)
      const d = sigma.getDimensions();
      if (container.offsetWidth === d.width && container.offsetHeight === d.height) return;
      sigma.resize();
      sigma.render();
    },
    setLinks(on) {
      if (on === linksOn) return;
      linksOn = on;
      if (on && !withLinks) {
        // first time on: a graph with the links replaces the nodes-only one (setGraph refreshes)
        pendingFull = true;
        graph = buildGraph(true);
        sigma.setGraph(graph);
      } else {
        fullRefresh();
      }
    },
    focus(i) {
      const d = sigma.getNodeDisplayData(i);
      if (!d) return;
      const target = { x: d.x, y: d.y, ratio: Math.min(sigma.getCamera().ratio, 0.25) };
      // software WebGL pays per frame: big graphs jump instead of animating
      if (data.e.s.length > 5000) sigma.getCamera().setState(target);
      else sigma.getCamera().animate(target, { duration: 300 });
    },
    toScreen(i) {
      return sigma.graphToViewport({ x: gx[i], y: gy[i] });
    },
    drawnCount() {
      let c = 0;
      graph.forEachNode((node) => { const d = sigma.getNodeDisplayData(node); if (d && !d.hidden) c++; });
      return c;
    },
    drawnLinks() {
      // sigma skips the edges of hidden nodes when it fills its buffers
      let c = 0;
      graph.forEachEdge((edge, _attrs, a, b) => {
        const d = sigma.getEdgeDisplayData(edge);
        if (d && !d.hidden && !hidden[+a] && !hidden[+b]) c++;
      });
      return c;
    },
    relax: null,
  };
}
