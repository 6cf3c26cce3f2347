// The app's core: evaluates the program, lays out and draws the circuit, and drives the animation.
// Other panels (e.g. a Train panel) use the exported object: getGraph(), evaluate(), onGraph().
import { ApiError, fetchGraph } from './api.js';
import { indexGraph, nodeTitle, scalarInputs, structureKey } from './graph-state.js';
import { buildElkGraph, readLayout } from './layout.js';
import { layoutInWorker } from './layout-client.js';
import { activeStep, buildSchedule, describeStep, statesAt } from './schedule.js';
import { encodeHash } from './share.js';

/** Creates the app around already-built views ({editor, renderer, viewport, controls, ...}). */
export function createApp(views) {
  const st = {
    values: {},
    expand: [],
    graph: null,
    index: null,
    schedule: null,
    model: null,
    layoutKey: null,
    selected: null,
    hovered: null,
    seq: 0,
    evals: 0,
  };
  const listeners = new Set();

  /** Evaluates the editor's program; keeps the last good circuit on screen if it fails. */
  async function evaluate(values) {
    if (values) st.values = { ...st.values, ...values };
    const my = ++st.seq;
    const expression = views.editor.value;
    setStatus('busy');
    let graph;
    try {
      graph = await fetchGraph({ expression, values: usedValues(expression, st.values), expand: st.expand });
    } catch (err) {
      if (my === st.seq) fail(err);
      return null;
    }
    if (my !== st.seq) return null; // a newer evaluation superseded this one
    performance.mark('gw:response');
    return show(graph, my);
  }

  /** Lays out (only if the structure changed) and draws a graph, then ends the animation. */
  async function show(graph, my) {
    const index = indexGraph(graph);
    const key = structureKey(graph);
    if (key !== st.layoutKey) {
      let result;
      try {
        result = await layoutInWorker(buildElkGraph(index));
      } catch (err) {
        if (my === st.seq) fail(new Error(`Layout failed: ${err.message}`));
        return null;
      }
      if (my !== st.seq) return null;
      performance.mark('gw:layout');
      st.model = readLayout(result);
      st.layoutKey = null; // until the drawing completes, the next result must lay out again
      if (!(await views.renderer.draw(index, st.model, () => my === st.seq))) return null;
      performance.mark('gw:dom');
      views.renderer.setBadges(new Map());
      const out = st.model.nodes[graph.output];
      const focus = out && { x: out.x + out.w / 2, y: out.y + out.h / 2 };
      views.viewport.show({ width: st.model.width, height: st.model.height }, focus);
      st.layoutKey = key;
    } else {
      views.renderer.updateNumbers(index);
    }
    Object.assign(st, { graph, index, schedule: buildSchedule(graph) });
    finish(graph);
    return graph;
  }

  /** Post-draw bookkeeping: animation at its end, panels, URL hash, listeners. */
  function finish(graph) {
    views.editor.clearError();
    if (st.selected && !st.index.byId.has(st.selected)) st.selected = null;
    views.controls.setLength(st.schedule.length, st.schedule.length);
    views.inputs.update(scalarInputs(st.index));
    const hash = encodeHash({ expression: views.editor.value, values: st.values, expand: st.expand });
    setTimeout(() => history.replaceState(null, '', hash), 0); // slow for long programs: not in this frame
    st.evals += 1;
    document.body.dataset.evals = String(st.evals);
    setStatus('ready');
    performance.mark('gw:drawn');
    for (const cb of listeners) cb(graph);
  }

  /** Shows an error under the editor. */
  function fail(err) {
    views.editor.showError(err instanceof ApiError ? err : { message: err.message || String(err) });
    setStatus('error');
  }

  /** Moves the animation to position pos: node states, visible numbers, highlights, explainer. */
  function seek(pos, quiet = false) {
    if (!st.schedule) return;
    const states = statesAt(st.schedule, pos);
    const active = quiet ? null : activeStep(st.schedule, pos);
    views.renderer.applyStates(states, active);
    const title = (id) => {
      const n = st.index.byId.get(id);
      return n.kind === 'op' ? `${n.label} ${n.name ?? ''}`.trim() : nodeTitle(n);
    };
    views.status.textContent = describeStep(st.schedule, pos, title);
    st.states = states;
    st.active = active;
    refreshPanels();
  }

  /** Re-renders the explainer (hovered, else selected, else the animation's active gate) and the inspector. */
  function refreshPanels() {
    const id = st.hovered || st.selected || st.active?.node || (st.index ? st.graph.output : null);
    views.explainer.show(st.index, id, (x) => st.states?.get(x));
    const open = views.inspector.openId;
    if (open && st.index?.byId.has(open)) views.inspector.show(st.index.byId.get(open), st.states.get(open));
    else if (open) views.inspector.close();
  }

  /** Selects a node (click): pins the explainer; tensors open the inspector. */
  function select(id) {
    st.selected = id;
    views.renderer.select(id);
    const node = st.index?.byId.get(id);
    if (node && (node.shape || []).length) views.inspector.show(node, st.states?.get(id));
    refreshPanels();
  }

  /** Hover shows a gate's explanation without pinning it. */
  function hover(id) {
    if (st.hovered === id) return;
    st.hovered = id;
    refreshPanels();
  }

  /** Expands a composite gate in place. */
  function expand(id) {
    const node = st.index?.byId.get(id);
    if (!node?.composite || st.expand === true || st.expand.includes(id)) return null;
    st.expand = [...st.expand, id];
    return evaluate();
  }

  /** Folds an expanded group back into one gate (and any groups nested inside it). */
  function fold(groupId) {
    const inner = new Set(st.graph?.groups?.[groupId]?.nodes || []);
    // "Expand all" becomes the explicit list of groups, minus the folded one.
    if (st.expand === true) st.expand = Object.keys(st.graph?.groups || {});
    st.expand = st.expand.filter((g) => g !== groupId && !inner.has(g));
    st.selected = groupId;
    return evaluate();
  }

  /** Sets the program text and overrides (examples, shared links) and evaluates it. */
  function setProgram(expression, values = {}, expandIds = []) {
    views.editor.value = expression;
    st.values = { ...values };
    st.expand = expandIds === true ? true : Array.isArray(expandIds) ? [...expandIds] : [];
    return evaluate();
  }

  /** Called on every edit: overrides of names the program now assigns, and expansions, are dropped. */
  function edited() {
    const text = views.editor.value;
    st.values = Object.fromEntries(Object.entries(st.values).filter(([k]) => !assigns(text, k)));
    st.expand = [];
  }

  /** Marks the page state for tests and the benchmark (busy / ready / error). */
  function setStatus(s) {
    document.body.dataset.status = s;
  }

  return {
    evaluate,
    seek,
    select,
    hover,
    expand,
    fold,
    setProgram,
    edited,
    getGraph: () => st.graph,
    getIndex: () => st.index,
    getProgram: () => ({ expression: views.editor.value, values: { ...st.values }, expand: st.expand }),
    getLayout: () => st.model,
    getState: (id) => st.states?.get(id),
    onGraph(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

/** Only send overrides for names the program mentions (the API rejects values for non-inputs). */
function usedValues(text, values) {
  return Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`\\b${escapeRe(k)}\\b`).test(text)));
}

/** True when the program assigns the name (`x = ...` at the start of a line). */
function assigns(text, name) {
  return new RegExp(`^\\s*${escapeRe(name)}\\s*=(?!=)`, 'm').test(text);
}

/** Escapes a string for use in a RegExp. */
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
