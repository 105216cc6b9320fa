/* paperkg viewer: the panel's papers-per-year bar chart, an inline SVG built element by element
 * (numbers only, set through attributes and textContent). */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

/* counts: Map year → papers; from..to: the years drawn; range: [a, b] the year filter
 * (bars outside it are drawn pale). */
function paperkgYearChart(counts, from, to, range) {
  const W = 360, H = 96, left = 30, right = 6, top = 8, bottom = 18;
  const years = to - from + 1;
  let max = 0;
  for (const [, c] of counts) max = Math.max(max, c);
  const svg = svgEl("svg", {
    class: "year-chart", width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
  });
  svg.append(svgEl("title", {}, "papers per year, " + from + "–" + to));
  const pw = W - left - right, ph = H - top - bottom;
  const step = pw / years;
  const bw = Math.max(1, step - (step > 4 ? 1.5 : 0.5));
  svg.append(svgEl("line", { x1: left, y1: top + ph + 0.5, x2: W - right, y2: top + ph + 0.5, class: "axis" }));
  for (let y = from; y <= to; y++) {
    const c = counts.get(y) || 0;
    const h = max ? (c / max) * ph : 0;
    const inRange = y >= range[0] && y <= range[1];
    const bar = svgEl("rect", {
      x: (left + (y - from) * step).toFixed(1), y: (top + ph - h).toFixed(1),
      width: bw.toFixed(1), height: h.toFixed(1),
      class: inRange ? "bar" : "bar out", "data-year": y, "data-count": c,
    });
    bar.append(svgEl("title", {}, y + ": " + c + (c === 1 ? " paper" : " papers")));
    svg.append(bar);
  }
  svg.append(svgEl("text", { x: left - 4, y: top + 8, class: "tick", "text-anchor": "end" }, max));
  svg.append(svgEl("text", { x: left - 4, y: top + ph, class: "tick", "text-anchor": "end" }, 0));
  svg.append(svgEl("text", { x: left, y: H - 4, class: "tick", "text-anchor": "start" }, from));
  svg.append(svgEl("text", { x: W - right, y: H - 4, class: "tick", "text-anchor": "end" }, to));
  return svg;
}
