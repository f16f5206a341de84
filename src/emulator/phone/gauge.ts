// The gauge component drawn as SVG: coloured segments on an arc of `degrees`, the progress bar up to `value`,
// the pointer, and `displayValue` in the middle when there is no pointer (as documented).
import { h, svg } from './dom.js';
import { type JsonObject, num, objects, str } from './types.js';

const CX = 100;
const R = 78;

function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

/** A point on the arc: angle in degrees, clockwise from 12 o'clock. */
function point(angle: number, radius = R, cy = 100): [number, number] {
  const rad = (angle * Math.PI) / 180;
  return [CX + radius * Math.sin(rad), cy - radius * Math.cos(rad)];
}

function arc(from: number, to: number, radius: number, cy: number): string {
  const end = Math.min(to, from + 359.9);
  const [x1, y1] = point(from, radius, cy);
  const [x2, y2] = point(end, radius, cy);
  const large = end - from > 180 ? 1 : 0;
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${radius} ${radius} 0 ${large} 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

export function gauge(dc: JsonObject): HTMLElement {
  const degrees = clamp(num(dc, 'degrees', 240), 30, 360);
  const thickness = clamp(num(dc, 'thickness', 20), 10, 100);
  const spacing = clamp(num(dc, 'spacing', 0), 0, 20);
  const value = clamp(num(dc, 'value', 0), 0, 100);
  const width = (R * thickness) / 100;
  const start = -degrees / 2;
  const angleOf = (v: number): number => start + (degrees * v) / 100;
  // Below the centre only what the arc needs: a half gauge is short, a full one round.
  const lowest = degrees >= 180 ? Math.max(0, -Math.cos((degrees / 2) * (Math.PI / 180))) * R : 0;
  const cy = 12 + R + width / 2;
  const height = cy + lowest + width / 2 + (degrees < 200 ? 16 : 8);

  const drawing = svg('svg', { viewBox: `0 0 200 ${height.toFixed(0)}`, class: 'gauge-svg', role: 'img' });
  const title = str(dc, 'title');
  drawing.setAttribute('aria-label', `${title || 'Gauge'}: ${value}%`);

  const segments = objects(dc.segments);
  const gap = (spacing / (2 * Math.PI * R)) * 360;
  const track = segments.length > 0 ? segments : [{ from: 0, to: 100, color: '#d0d5dd' }];
  for (const s of track) {
    const from = angleOf(clamp(num(s, 'from', 0), 0, 100)) + gap / 2;
    const to = angleOf(clamp(num(s, 'to', 100), 0, 100)) - gap / 2;
    if (to <= from) continue;
    drawing.appendChild(
      svg('path', {
        d: arc(from, to, R, cy),
        fill: 'none',
        stroke: str(s, 'color', '#d0d5dd'),
        'stroke-width': width.toFixed(1),
        class: 'gauge-segment',
      }),
    );
  }

  const progress = str(dc, 'progressBar', 'none');
  if (progress !== 'none' && value > 0) {
    const barWidth = Math.max(3, width * 0.45);
    drawing.appendChild(
      svg('path', {
        d: arc(start, angleOf(value), R, cy),
        fill: 'none',
        stroke: str(dc, 'progressBarColor', '#1f7a5a'),
        'stroke-width': barWidth.toFixed(1),
        'stroke-linecap': progress === 'rounded' ? 'round' : 'butt',
        class: 'gauge-progress',
      }),
    );
  }

  const pointer = str(dc, 'pointer', 'none');
  const pointerColor = str(dc, 'pointerColor', '#333333');
  const angle = angleOf(value);
  if (pointer === 'needle') {
    const [x, y] = point(angle, R - width / 2 - 4, cy);
    drawing.appendChild(
      svg('line', {
        x1: CX,
        y1: cy,
        x2: x,
        y2: y,
        stroke: pointerColor,
        'stroke-width': 4,
        'stroke-linecap': 'round',
        class: 'gauge-pointer',
      }),
    );
    drawing.appendChild(svg('circle', { cx: CX, cy, r: 7, fill: pointerColor }));
  } else if (pointer === 'circle') {
    const [x, y] = point(angle, R, cy);
    drawing.appendChild(
      svg('circle', {
        cx: x,
        cy: y,
        r: Math.max(6, width / 2 + 2),
        fill: '#fff',
        stroke: pointerColor,
        'stroke-width': 4,
        class: 'gauge-pointer',
      }),
    );
  } else if (pointer === 'triangle') {
    const tip = point(angle, R - width / 2 - 2, cy);
    const left = point(angle - 6, R - width / 2 - 16, cy);
    const right = point(angle + 6, R - width / 2 - 16, cy);
    const points = [tip, left, right].map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    drawing.appendChild(svg('polygon', { points, fill: pointerColor, class: 'gauge-pointer' }));
  } else {
    const label = svg('text', {
      x: CX,
      y: cy + (degrees < 200 ? 0 : 6),
      'text-anchor': 'middle',
      'font-size': clamp(num(dc, 'fontSize', 16), 8, 48),
      class: 'gauge-value',
    });
    label.textContent = str(dc, 'displayValue', `${value}`);
    drawing.appendChild(label);
  }

  return h('figure', 'gauge', title ? h('figcaption', 'gauge-title', title) : null, drawing);
}
