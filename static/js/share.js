// The program in the URL hash, so a copied link reopens the same circuit. Pure: no DOM.

/** Links longer than this keep the program and their small values only (browsers and chat apps
 *  choke on longer ones). */
export const MAX_LINK = 8192;

/** Encodes a program, its input values and fold choices as a URL hash ("#program=...&values=...").
 *  Values too big for a link are left out, biggest first: {hash, omitted: [names]}. */
export function encodeLink({ expression, values, expand, fold }, max = MAX_LINK) {
  const kept = { ...(values || {}) };
  const sizes = Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, JSON.stringify(v).length]));
  const order = Object.keys(kept).sort((a, b) => sizes[b] - sizes[a] || (a < b ? -1 : 1));
  const omitted = [];
  let hash = encodeHash({ expression, values: kept, expand, fold });
  while (hash.length > max && order.length) {
    const name = order.shift();
    delete kept[name];
    omitted.push(name);
    hash = encodeHash({ expression, values: kept, expand, fold });
  }
  return { hash, omitted };
}

/** Encodes a program, its input overrides, the composites and calls opened (`expand`: ids, or true
 *  for all) and the calls of user functions folded that would open by default (`fold`: ids). */
export function encodeHash({ expression, values, expand, fold }) {
  const p = new URLSearchParams();
  p.set('program', expression ?? '');
  if (values && Object.keys(values).length) p.set('values', JSON.stringify(values));
  if (expand === true) p.set('expand', 'all');
  else if (expand && expand.length) p.set('expand', expand.join(','));
  if (fold && fold.length) p.set('fold', fold.join(','));
  return `#${p.toString()}`;
}

/** Decodes a hash made by encodeHash; returns null when it holds no program. */
export function decodeHash(hash) {
  const text = (hash || '').replace(/^#/, '');
  if (!text) return null;
  const p = new URLSearchParams(text);
  if (!p.has('program')) return null;
  let values = {};
  try {
    values = JSON.parse(p.get('values') || '{}');
  } catch {
    values = {}; // A mangled link still opens its program.
  }
  const raw = p.get('expand') || '';
  const expand = raw === 'all' ? true : raw.split(',').filter(Boolean);
  const fold = (p.get('fold') || '').split(',').filter(Boolean);
  return { expression: p.get('program'), values, expand, fold };
}
