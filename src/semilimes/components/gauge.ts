import type { CrossFieldRule, FieldSpec } from './fields';

/**
 * The gauge, shared by the gauge data component and the gauge form component (the documentation describes both with
 * the same fields and ranges).
 */
export const GAUGE_FIELDS = {
  title: { kind: 'string', default: 'Gauge' },
  thickness: { kind: 'number', min: 10, max: 100, default: 20 },
  degrees: { kind: 'number', min: 30, max: 360, default: 270 },
  spacing: { kind: 'number', min: 0, max: 20, default: 0 },
  fontSize: { kind: 'number', min: 8, max: 48, default: 12 },
  value: { kind: 'number', min: 0, max: 100, default: 0 },
  displayValue: { kind: 'string', default: '' },
  segments: {
    kind: 'array',
    items: {
      kind: 'object',
      fields: {
        from: { kind: 'number', required: true, min: 0, max: 99 },
        to: { kind: 'number', required: true, min: 1, max: 100 },
        color: { kind: 'string', required: true, format: 'color' },
      },
    },
    default: [{ from: 0, to: 100, color: '#00AAFF' }],
  },
  pointer: { kind: 'string', enum: ['none', 'triangle', 'circle', 'needle'], default: 'none' },
  pointerColor: { kind: 'string', format: 'color', default: '#ABABAB' },
  progressBar: { kind: 'string', enum: ['none', 'basic', 'rounded'], default: 'basic' },
  progressBarColor: { kind: 'string', format: 'color', default: '#CCDD11' },
} as const satisfies Record<string, FieldSpec>;

interface Segment {
  from: number;
  to: number;
}

/**
 * The documented segment rules: each segment has `to` > `from`; segments do not overlap; together they cover the
 * whole gauge, 0 to 100. The documentation's own example joins segments as 0-20, 21-40, 41-100, so the next segment
 * may start at the previous end or one above it (integer steps); anything further is a gap, anything lower an overlap.
 * An absent or empty list means "no segments" and is allowed.
 */
export const segmentRule: CrossFieldRule = (component, fail) => {
  const segments = component.segments as Segment[] | undefined;
  if (!segments || segments.length === 0) return;
  segments.forEach((segment, i) => {
    if (!(segment.to > segment.from))
      fail(`segments[${i}].to`, segment.to, `must be greater than from (${segment.from})`);
  });
  const order = segments.map((segment, index) => ({ ...segment, index })).sort((a, b) => a.from - b.from);
  if (order[0].from !== 0)
    fail(
      `segments[${order[0].index}].from`,
      order[0].from,
      'segments must cover 0-100: the lowest segment must start at 0',
    );
  for (let i = 1; i < order.length; i++) {
    const previous = order[i - 1];
    const current = order[i];
    if (current.from < previous.to) {
      fail(
        `segments[${current.index}].from`,
        current.from,
        `overlaps segments[${previous.index}] (${previous.from}-${previous.to})`,
      );
    }
    if (current.from > previous.to + 1) {
      fail(
        `segments[${current.index}].from`,
        current.from,
        `leaves a gap after segments[${previous.index}] (ends at ${previous.to}): segments must cover 0-100`,
      );
    }
  }
  const last = order[order.length - 1];
  if (last.to !== 100)
    fail(`segments[${last.index}].to`, last.to, 'segments must cover 0-100: the highest segment must end at 100');
};
