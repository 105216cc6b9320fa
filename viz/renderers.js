/* paperkg viewer: the renderer adapter.
 *
 * app.js (search, filters, time, panel, labels, deep link) is written once against this
 * interface; each renderer implements it:
 *
 *   createRenderer(kind, container, data, look) -> {
 *     kind,                        "vis" or "sigma"
 *     ready: Promise,              resolves after the first frame is drawn
 *     on(event, fn),               "click"(i) "stage"() "hover"(i) "leave"() "render"() after every frame
 *     setVisible(nodeMask, linkMask),  Uint8Array per node (1 = shown); per payload link or null (all)
 *     restyle(),                   look.color / look.size changed: redraw every node
 *     setHighlight(center, set, star, dim),  node -1 / null: none; set: the nodes to emphasise;
 *                                  star: center -1 and the set's links drawn from its centroid
 *                                  (a paper that is not on the map); dim: fade the other nodes
 *     select(i),                   -1 clears
 *     frame(nodes, done, right),   camera onto these nodes (all in view, with room for labels),
 *                                  the rightmost `right` pixels left out (the panel lies there);
 *                                  done() once the camera has been set
 *     drawnCount(),                nodes the renderer itself currently draws
 *     drawnLinks(),                links (node pairs) it currently draws in full, all or none
 *     toScreen(i),                 {x, y} of node i in container pixels
 *     radius(i),                   node i's drawn radius in pixels
 *     setLinks(on),                draw every link, or only those around the selection
 *     resize(),                    the container changed size (panel opened, window resized)
 *     relax: fn(on) | null,        physics toggle (vis only)
 *   }
 *
 * Node indices are the payload's (graphbuild/view.py). look = {x, y, color, size}: positions
 * (the payload's, stretched to the container's shape by app.js), the current colour and size
 * of every node, and optionally linkColor(k) for payload link k; all owned by app.js. Neither renderer draws labels: app.js does (labels.js).
 */
"use strict";

function paperkgCreateRenderer(kind, container, data, look) {
  return kind === "vis" ? createVisRenderer(container, data, look) : createSigmaRenderer(container, data, look);
}

function makeEmitter() {
  const handlers = {};
  return {
    on(event, fn) { (handlers[event] = handlers[event] || []).push(fn); },
    emit(event, arg) { for (const fn of handlers[event] || []) fn(arg); },
  };
}

function jsonBlock(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

// unique node pairs of the payload's links: [a, b, first link index]
function linkPairs(data) {
  const es = data.e.s, et = data.e.t, N = data.n.key.length;
  const seen = new Set();
  const out = [];
  for (let k = 0; k < es.length; k++) {
    const a = Math.min(es[k], et[k]), b = Math.max(es[k], et[k]);
    const id = a * N + b;
    if (a === b || seen.has(id)) continue;
    seen.add(id);
    out.push([a, b, k]);
  }
  return out;
}

const HIGHLIGHT_LINK = "#3e4652";

// The highlighted node's links, dark, on a 2D layer of their own: a few hundred lines at most.
function drawStar(ctx, width, height, hl, hlCenter, star, hidden, toScreen) {
  ctx.clearRect(0, 0, width, height);
  if (hl === null || (hlCenter < 0 && !star) || (hlCenter >= 0 && hidden[hlCenter])) return;
  const pts = [];
  for (const j of hl) if (j !== hlCenter && !hidden[j]) pts.push(toScreen(j));
  if (!pts.length) return;
  let c;
  if (hlCenter >= 0) c = toScreen(hlCenter);
  else c = { x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length };
  ctx.strokeStyle = HIGHLIGHT_LINK;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const p of pts) { ctx.moveTo(c.x, c.y); ctx.lineTo(p.x, p.y); }
  ctx.stroke();
  if (hlCenter < 0) {
    // the paper itself: a small dark diamond where its links meet
    ctx.fillStyle = HIGHLIGHT_LINK;
    ctx.beginPath();
    ctx.moveTo(c.x, c.y - 6); ctx.lineTo(c.x + 6, c.y); ctx.lineTo(c.x, c.y + 6); ctx.lineTo(c.x - 6, c.y);
    ctx.closePath();
    ctx.fill();
  }
}

function sizeCanvas(canvas, width, height) {
  const pr = window.devicePixelRatio || 1;
  Object.assign(canvas.style, { width: width + "px", height: height + "px" });
  canvas.width = width * pr;
  canvas.height = height * pr;
  canvas.getContext("2d").setTransform(pr, 0, 0, pr, 0, 0);
}

/* ------------------------------------------------------------------ vis-network (pyvis) */

const FADE_MAX_NODES = 5000;

function createVisRenderer(container, data, look) {
  const ev = makeEmitter();
  const N = data.n.key.length;
  const visNodes = jsonBlock("paperkg-vis-nodes");
  for (const node of visNodes) {
    node.x = look.x[node.id];
    node.y = look.y[node.id];
    node.color = look.color[node.id];
    node.size = look.size[node.id];
  }
  const nodes = new vis.DataSet(visNodes);
  const edgeList = jsonBlock("paperkg-vis-edges");
  const edges = new vis.DataSet(edgeList);
  const network = new vis.Network(container, { nodes, edges }, jsonBlock("paperkg-vis-options"));
  const hidden = new Uint8Array(N);
  const color = look.color.slice();
  const size = Float64Array.from(look.size);
  let hl = null, hlCenter = -1, star = false, dim = false;

  // the highlight layer, above vis's canvas
  const layer = document.createElement("canvas");
  layer.className = "paperkg-layer";
  container.append(layer);
  const layerCtx = layer.getContext("2d");
  const toScreen = (i) => network.canvasToDOM(network.getPosition(i));

  network.on("click", (p) => (p.nodes.length ? ev.emit("click", p.nodes[0]) : ev.emit("stage")));
  network.on("hoverNode", (p) => ev.emit("hover", p.node));
  network.on("blurNode", () => ev.emit("leave"));
  network.on("afterDrawing", () => {
    const w = container.clientWidth, h = container.clientHeight;
    if (layer.width !== Math.round(w * (window.devicePixelRatio || 1))) sizeCanvas(layer, w, h);
    drawStar(layerCtx, w, h, hl, hlCenter, star, hidden, toScreen);
    ev.emit("render");
  });
  const ready = new Promise((resolve) => network.once("afterDrawing", () => resolve()));

  function restyle() {
    const upd = [];
    for (let i = 0; i < N; i++) {
      const faded = dim && hl !== null && N <= FADE_MAX_NODES && !hl.has(i);
      const want = faded ? data.faded : look.color[i];
      if (want !== color[i] || size[i] !== look.size[i]) {
        color[i] = want;
        size[i] = look.size[i];
        upd.push({ id: i, color: want, size: size[i] });
      }
    }
    if (upd.length) nodes.update(upd);
  }

  return {
    kind: "vis",
    ready,
    on: ev.on,
    setVisible(mask, linkMask) {
      const upd = [];
      for (let i = 0; i < N; i++) {
        const h = mask[i] ? 0 : 1;
        if (h !== hidden[i]) { hidden[i] = h; upd.push({ id: i, hidden: !!h }); }
      }
      if (upd.length) nodes.update(upd);
      if (linkMask) edges.update(edgeList.map((e) => ({ id: e.id, hidden: !linkMask[e.k === undefined ? e.id : e.k] })));
    },
    restyle,
    setHighlight(center, set, asStar, asDim) {
      hl = set;
      hlCenter = center;
      star = !!asStar;
      dim = !!asDim;
      restyle();
      network.redraw();
    },
    select(i) {
      if (i >= 0) network.selectNodes([i]); else network.unselectAll();
    },
    frame(list, done, right) {
      const ids = [...list].filter((i) => !hidden[i]);
      if (ids.length === 1) network.focus(ids[0], { scale: Math.max(network.getScale(), 1.0), animation: false });
      else if (ids.length) network.fit({ nodes: ids, animation: false });
      const inset = Math.min(right || 0, container.clientWidth * 0.6);
      if (ids.length && inset) {
        // into the part the panel leaves uncovered: shrink by its share, move right by half of it
        const w = container.clientWidth;
        const scale = network.getScale() * (ids.length === 1 ? 1 : (w - inset) / w);
        const at = network.getViewPosition();
        network.moveTo({ position: { x: at.x + inset / 2 / scale, y: at.y }, scale });
      }
      if (done) done();
    },
    toScreen,
    radius(i) { return size[i] * network.getScale(); },
    setLinks(on) { network.setOptions({ edges: { hidden: !on } }); },
    resize() { network.setSize("100%", "100%"); network.redraw(); },
    drawnCount() { return network.body.nodeIndices.length; },
    drawnLinks() { return network.body.edgeIndices.filter((id) => !network.body.edges[id].options.hidden).length; },
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

function createSigmaRenderer(container, data, look) {
  const ev = makeEmitter();
  const N = data.n.key.length;
  // sigma's y axis points up; flip so both renderers show the same picture
  const gx = look.x;
  const gy = Float64Array.from(look.y, (y) => -y);
  const pairs = linkPairs(data);
  // Links go into the graph only while they are drawn: sigma processes every edge of its graph
  // on each full refresh, hidden or not (~1 s for 125k links at 20k nodes). The links around the
  // highlighted node are drawn on a layer of their own instead (drawStar).
  let withLinks = false;
  const radiusOf = (i) => Math.max(1.5, look.size[i] * 0.6);
  function buildGraph(links) {
    const g = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    for (let i = 0; i < N; i++) g.addNode(i, { x: gx[i], y: gy[i], size: radiusOf(i), color: look.color[i] });
    // one edge per node pair (the payload may have one per relationship); numeric pair ids
    // instead of graph.hasEdge + generated keys: 3x faster on big graphs
    if (links) for (const [a, b, k] of pairs) g.addEdgeWithKey(a * N + b, a, b, { k });
    withLinks = links;
    return g;
  }
  let linksOn = !!data.linksOn;
  let graph = buildGraph(linksOn);
  performance.mark("paperkg:graph");
  const hidden = new Uint8Array(N);
  let linkMask = null;
  let hl = null; // Set of node indices around hlCenter
  let hlCenter = -1;
  let star = false;
  let dim = false;
  let selected = -1;
  let hovered = -1;
  const fade = () => dim && hl !== null && N <= FADE_MAX_NODES;
  // Highlighting only touches the neighbourhood (emphasis) on big graphs, so that a hover or a
  // selection re-processes a few nodes, not the whole graph; small ones fade the rest.
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
    renderLabels: false, // app.js places labels itself: sized by weight, never overlapping
    renderEdgeLabels: false,
    stagePadding: 40,
    nodeReducer(node, attrs) {
      const i = +node;
      if (hidden[i]) return { ...attrs, hidden: true };
      const out = { ...attrs, size: radiusOf(i), color: look.color[i] };
      // no `highlighted`: sigma would draw those nodes again on its hover layers (hidden below);
      // the selection stands out by the rest fading, its star of links and its labels
      if (fade() && !(i === selected || i === hlCenter || i === hovered || (hl !== null && hl.has(i)))) {
        out.color = data.faded;
      }
      return out;
    },
    edgeReducer(edge, attrs) {
      // with a selection, only its own links are drawn (dark, on the star layer)
      if (!linksOn || fade() || (linkMask !== null && !linkMask[attrs.k])) return { ...attrs, hidden: true };
      return look.linkColor ? { ...attrs, color: look.linkColor(attrs.k) } : attrs;
    },
  });

  // Layers sigma draws that this page does not use (labels are app.js's, highlights are drawn by
  // fading the rest) stay out of the page: software compositing reads every visible canvas back on
  // each frame it changes, ~25-35 ms per full-size WebGL layer without a GPU.
  for (const layer of ["edgeLabels", "labels", "hovers", "hoverNodes"]) {
    const c = sigma.getCanvases()[layer];
    if (c) c.style.display = "none";
  }
  // While a selection fades the map its links are not drawn at all: the edge layer is empty, and
  // hiding it spares the compositor reading it back on every frame of the selection.
  const edgeCanvas = sigma.getCanvases().edges;
  const showEdgeLayer = () => { edgeCanvas.style.display = fade() ? "none" : ""; };
  sigma.createCanvasContext("paperkgLinks", { afterLayer: "edges" });
  const linkCtx = sigma.getCanvases().paperkgLinks.getContext("2d");
  {
    // sized like sigma's own layers (sigma.resize does it from now on, on size changes only)
    const { width, height } = sigma.getDimensions();
    sizeCanvas(linkCtx.canvas, width, height);
  }
  const toScreen = (i) => sigma.graphToViewport({ x: gx[i], y: gy[i] });

  // a scheduled full refresh drops sigma's per-node program indices until it runs;
  // partial repaints in between must wait for it (they are folded into it)
  let pendingFull = false;
  let graphDimensions = sigma.getGraphDimensions();
  sigma.on("afterRender", () => {
    pendingFull = false;
    graphDimensions = sigma.getGraphDimensions();
    const { width, height } = sigma.getDimensions();
    drawStar(linkCtx, width, height, hl, hlCenter, star, hidden, toScreen);
    ev.emit("render");
  });
  function fullRefresh() {
    pendingFull = true;
    sigma.refresh({ schedule: true });
  }
  function repaint(nodes) {
    if (pendingFull) return;
    if (fade()) { fullRefresh(); return; }
    sigma.refresh({
      partialGraph: { nodes: [...nodes].filter((i) => i >= 0).map(String) },
      skipIndexation: true,
      schedule: true,
    });
  }

  // the camera shows every node of the list, with room around them for their labels
  function frameNow(list, done, right) {
    const ids = [...list].filter((i) => i >= 0 && !hidden[i]);
    if (!ids.length) { if (done) done(); return; }
    const cam = sigma.getCamera();
    const st = cam.getState();
    const { width, height } = sigma.getDimensions();
    const inset = Math.min(right || 0, width * 0.6);
    // Where the nodes would be drawn under a camera state (sigma recomputes its matrix for an
    // overridden state): the camera is solved for from these projections, not from sigma's internals.
    // The graph's extent as of the last frame: while a full refresh is pending sigma reports 1x1.
    const box = (cameraState) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const i of ids) {
        const p = sigma.graphToViewport({ x: gx[i], y: gy[i] }, { cameraState, graphDimensions });
        x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
      }
      return { w: x1 - x0, h: y1 - y0, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
    };
    // zoom: the box scales with 1/ratio; keep 110 px aside and 40 px above/below for labels
    const b0 = box(st);
    const fit = Math.max(b0.w / Math.max(width - inset - 220, 50), b0.h / Math.max(height - 80, 50));
    let ratio = ids.length === 1 ? Math.min(st.ratio, 0.25) : st.ratio * fit;
    ratio = Math.min(Math.max(ratio, 0.03), 2);
    // pan: the box's centre to the middle of the part the panel leaves uncovered (the map is
    // affine in the camera position: two probes give the step)
    const base = { ...st, ratio };
    const c0 = box(base), e = 0.01 * ratio;
    const cxs = box({ ...base, x: base.x + e }), cys = box({ ...base, y: base.y + e });
    const j11 = (cxs.cx - c0.cx) / e, j12 = (cys.cx - c0.cx) / e, j21 = (cxs.cy - c0.cy) / e, j22 = (cys.cy - c0.cy) / e;
    const det = j11 * j22 - j12 * j21;
    const wantX = (width - inset) / 2 - c0.cx, wantY = height / 2 - c0.cy;
    const target = Math.abs(det) < 1e-12 ? base : {
      ...base,
      x: base.x + (j22 * wantX - j12 * wantY) / det,
      y: base.y + (j11 * wantY - j21 * wantX) / det,
    };
    // software WebGL pays per frame: big graphs jump instead of animating
    if (N > 5000 || pairs.length > 5000) cam.setState(target);
    else cam.animate(target, { duration: 300 });
    if (done) done();
  }

  // Clicks and hovers are resolved here, geometrically against the drawn discs: the node
  // program has no picking pass, and sigma 3.0.2's own click picking missed nodes after
  // partial repaints anyway (and is skipped after tiny pointer moves). Graph → viewport is
  // affine (normalisation, camera, viewport), so three projected points give the whole map.
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
      if (dist <= k * radiusOf(i) + 2 && dist < bestD) { best = i; bestD = dist; }
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
    repaint([prev, i]); // the hovered node is drawn emphasised (nodeReducer)
    if (prev >= 0) ev.emit("leave");
    if (i >= 0) ev.emit("hover", i);
  }
  // the constructor already rendered once; the frame is on screen after the next animation frame
  const ready = new Promise((resolve) => requestAnimationFrame(() => resolve()));

  return {
    kind: "sigma",
    ready,
    on: ev.on,
    setVisible(mask, links) {
      let changed = false;
      for (let i = 0; i < N; i++) {
        const h = mask[i] ? 0 : 1;
        if (h !== hidden[i]) { hidden[i] = h; changed = true; }
      }
      if (links) {
        // a copy: the caller's array changes in place
        if (linkMask === null) {
          linkMask = links.slice();
          if (links.includes(0)) changed = true;
        } else if (links.some((v, k) => v !== linkMask[k])) {
          linkMask = links.slice();
          changed = true;
        }
      } else if (linkMask !== null) {
        linkMask = null;
        changed = true;
      }
      if (changed) fullRefresh();
    },
    restyle() { fullRefresh(); },
    setHighlight(center, set, asStar, asDim) {
      const wasFaded = fade();
      const touched = new Set([...(hl || []), ...(set || []), hlCenter, center]);
      hl = set;
      hlCenter = center;
      star = !!asStar;
      dim = !!asDim;
      showEdgeLayer();
      if (wasFaded || fade()) fullRefresh(); else repaint(touched);
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
      // new dimensions now, the drawing on the next frame with whatever else is scheduled
      sigma.resize();
      sigma.scheduleRender();
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
    frame: frameNow,
    toScreen,
    radius(i) { return sigma.scaleSize(radiusOf(i)); },
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
