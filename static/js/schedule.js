// The animation schedule: forward steps in topological order, then backward steps in reverse.
// Pure: no DOM. Position p in [0, steps.length] means the first p steps are done.
import { t } from './i18n.js';

/** Builds the step list from the API's forward/backward orders (unknown nodes are appended). */
export function buildSchedule(graph) {
  const ids = graph.nodes.map((n) => n.id);
  const fwd = complete(graph.forward || [], ids);
  const bwd = complete(graph.backward || [], [...fwd].reverse());
  const steps = [
    ...fwd.map((node) => ({ kind: 'forward', node })),
    ...bwd.map((node) => ({ kind: 'backward', node })),
  ];
  return { steps, forwardCount: fwd.length, length: steps.length };
}

/** Keeps an order's known ids and appends any missing ones, so every node gets a step. */
function complete(order, ids) {
  const known = new Set(ids);
  const seen = new Set();
  const out = [];
  for (const id of [...order, ...ids]) {
    if (known.has(id) && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

/** Node id -> "pending" | "forward" | "backward" after the first `pos` steps. */
export function statesAt(schedule, pos) {
  const states = new Map();
  for (const s of schedule.steps) if (!states.has(s.node)) states.set(s.node, 'pending');
  const end = clamp(pos, 0, schedule.length);
  for (let i = 0; i < end; i++) {
    const s = schedule.steps[i];
    states.set(s.node, s.kind === 'forward' ? 'forward' : 'backward');
  }
  return states;
}

/** The step just taken at position pos (the highlighted one), or null at the start. */
export function activeStep(schedule, pos) {
  return pos > 0 && pos <= schedule.length ? schedule.steps[pos - 1] : null;
}

/** Whether an edge's value and gradient are visible, given node states. */
export function edgeVisibility(edge, states) {
  return {
    // A wire carries its value once its source has computed it ...
    value: states.get(edge.source) !== 'pending',
    // ... and its gradient once the consuming gate has run its backward step.
    grad: states.get(edge.target) === 'backward',
  };
}

/** Clamps a position into [lo, hi]. */
export function clamp(x, lo, hi) {
  return Math.max(lo, Math.min(hi, x));
}

/** A short human description of a step for the status line. */
export function describeStep(schedule, pos, title) {
  const s = activeStep(schedule, pos);
  if (!s) return t('status.start', { n: schedule.length });
  if (pos === schedule.length) return t('status.done', { forward: schedule.forwardCount, backward: pos - schedule.forwardCount });
  return t(s.kind === 'forward' ? 'status.forward' : 'status.backward', { pos, n: schedule.length, title: title(s.node) });
}
