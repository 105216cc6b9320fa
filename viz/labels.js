/* paperkg viewer: labels that never overlap.
 *
 * After every frame app.js hands over its candidates, most important first (the selection and
 * its neighbours, then every visible entity by weight); each gets the first of its allowed
 * positions where its box is inside the view and clear of every label already placed, or none.
 * Boxes come from the canvas's own text metrics, so what is tested is what is drawn.
 * Text is drawn with fillText on a canvas: corpus text never becomes markup.
 */
"use strict";

const LABEL_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const LABEL_CELL = 64; // grid cell (px) for the overlap search

// Where a label may go, nearest first: on its node, then beside it in eight directions, then the
// same directions further out (with a leader line), for labels that must be shown.
function spotsAround(r, w, h) {
  const out = [[0, 0, false]];
  const dirs = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];
  for (const extra of [2, 16, 36, 64, 96, 132, 176]) {
    for (const [ux, uy] of dirs) {
      out.push([ux * (r + extra + w / 2), uy * (r + extra + h / 2), extra > 2]);
    }
  }
  return out;
}

function paperkgLabelLayer(container) {
  const canvas = document.createElement("canvas");
  canvas.className = "paperkg-labels";
  container.append(canvas);
  const ctx = canvas.getContext("2d");
  let W = 0, H = 0;
  const widths = new Map(); // font + text → width: measureText is the costly part of a frame

  function fitCanvas() {
    const w = container.clientWidth, h = container.clientHeight, pr = window.devicePixelRatio || 1;
    if (w !== W || h !== H || canvas.width !== Math.round(w * pr)) {
      W = w; H = h;
      Object.assign(canvas.style, { width: w + "px", height: h + "px" });
      canvas.width = Math.round(w * pr);
      canvas.height = Math.round(h * pr);
    }
    ctx.setTransform(pr, 0, 0, pr, 0, 0);
  }
  function widthOf(text, font) {
    const key = font + "\u0000" + text;
    let w = widths.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(text).width;
      if (widths.size > 20000) widths.clear();
      widths.set(key, w);
    }
    return w;
  }

  /* candidates: iterable of {i, x, y, r, text, px, bold, faded, moves}; x, y: node centre in
   * container pixels, r: its radius; moves: may sit beside the node when its centre is taken.
   * blocked: boxes labels must avoid (the legend). Returns the placed labels. */
  function draw(candidates, blocked, max) {
    fitCanvas();
    ctx.clearRect(0, 0, W, H);
    const grid = new Map();
    const cellsOf = (b) => {
      const out = [];
      for (let cx = Math.floor(b.x / LABEL_CELL); cx <= Math.floor((b.x + b.w) / LABEL_CELL); cx++)
        for (let cy = Math.floor(b.y / LABEL_CELL); cy <= Math.floor((b.y + b.h) / LABEL_CELL); cy++)
          out.push(cx * 100003 + cy);
      return out;
    };
    const clear = (b) => {
      for (const c of cellsOf(b)) {
        for (const o of grid.get(c) || []) {
          if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return false;
        }
      }
      return true;
    };
    const add = (b) => {
      for (const c of cellsOf(b)) {
        const list = grid.get(c);
        if (list) list.push(b); else grid.set(c, [b]);
      }
    };
    for (const b of blocked) add(b);
    const placed = [];
    for (const c of candidates) {
      if (placed.length >= max) break;
      const font = (c.bold ? "600 " : "400 ") + c.px + "px " + LABEL_FONT;
      const w = Math.ceil(widthOf(c.text, font)) + 4;
      const h = Math.ceil(c.px * 1.3);
      for (const [dx, dy, leader] of c.moves ? spotsAround(c.r, w, h) : [[0, 0, false]]) {
        const b = { x: c.x + dx - w / 2, y: c.y + dy - h / 2, w, h };
        if (b.x < 0 || b.y < 0 || b.x + w > W || b.y + h > H || !clear(b)) continue;
        add(b);
        placed.push({ i: c.i, text: c.text, px: c.px, font, faded: c.faded, box: b, from: leader ? [c.x, c.y] : null });
        break;
      }
    }
    // labels set away from their node get a thin leader line to it
    ctx.strokeStyle = "#52606d";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const p of placed) {
      if (!p.from) continue;
      const tx = Math.min(Math.max(p.from[0], p.box.x), p.box.x + p.box.w);
      const ty = Math.min(Math.max(p.from[1], p.box.y), p.box.y + p.box.h);
      ctx.moveTo(p.from[0], p.from[1]);
      ctx.lineTo(tx, ty);
    }
    ctx.stroke();
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    for (const p of placed) {
      const cx = p.box.x + p.box.w / 2, cy = p.box.y + p.box.h / 2;
      ctx.font = p.font;
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(p.text, cx, cy);
      ctx.fillStyle = p.faded ? "#8a96a3" : "#1f2933";
      ctx.fillText(p.text, cx, cy);
    }
    return placed;
  }
  return { draw };
}
