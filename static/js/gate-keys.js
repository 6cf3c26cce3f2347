// Keyboard use of the circuit: Tab reaches one gate (a roving tabindex), arrows move between gates,
// Enter explains the gate (and inspects a tensor), E expands a composite or folds its group.
import { entryNode, nearestInDirection } from './nav.js';

/** Wires the keys on the svg; actions: {focus(id), select(id), expand(id), fold(groupId)}. */
export function createGateKeys(svg, actions) {
  let index = null;
  let model = null;
  let current = null;
  let refocus = false; // E was pressed: the gate is redrawn, and the focus goes to what replaces it

  /** Gives the tab stop to `id` (and optionally the focus). */
  function setStop(id, focus = false) {
    const prev = current && svg.querySelector(`[data-node-id="${css(current)}"]`);
    if (prev) prev.setAttribute('tabindex', '-1');
    current = id;
    // The renderer finds a gate whose row is out of view (and brings the row back).
    const el = id && (actions.element?.(id) ?? svg.querySelector(`[data-node-id="${css(id)}"]`));
    if (!el) return;
    el.setAttribute('tabindex', '0');
    if (focus) el.focus();
  }

  svg.addEventListener('keydown', (ev) => {
    const id = ev.target.closest?.('[data-node-id]')?.getAttribute('data-node-id');
    if (!id || !index || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key.startsWith('Arrow')) {
      ev.preventDefault();
      const next = nearestInDirection(model.nodes, id, ev.key);
      if (next) setStop(next, true);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      actions.select(id);
    } else if (ev.key === 'e' || ev.key === 'E') {
      ev.preventDefault();
      const node = index.byId.get(id);
      const group = index.groupOf.get(id);
      refocus = Boolean(node?.composite || group);
      if (node?.composite) actions.expand(id);
      else if (group) {
        current = group; // the folded gate has the group's id
        actions.fold(group);
      }
    }
  });
  svg.addEventListener('focusin', (ev) => {
    const id = ev.target.closest?.('[data-node-id]')?.getAttribute('data-node-id');
    if (!id) return;
    if (id !== current) setStop(id);
    actions.focus(id);
  });
  svg.addEventListener('focusout', () => actions.focus(null));

  return {
    /** After a drawing: keeps the tab stop on a gate that still exists. */
    update(idx, layout, selected) {
      index = idx;
      model = layout;
      const focus = refocus || (svg.contains(document.activeElement) && document.activeElement !== svg);
      refocus = false;
      // An expanded gate's place goes to its group's output (the last node of the group).
      const inner = current && idx.groups[current]?.nodes;
      const keep = current && idx.byId.has(current) ? current : inner ? inner.at(-1) : entryNode(idx.graph, selected);
      current = null;
      setStop(keep, focus);
    },
  };
}

/** Escapes an id for an attribute selector. */
function css(id) {
  return String(id).replace(/["\\]/g, '\\$&');
}
