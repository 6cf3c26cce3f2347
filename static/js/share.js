// The program in the URL hash, so a copied link reopens the same circuit. Pure: no DOM.

/** Encodes a program and its input overrides as a URL hash ("#program=...&values=..."). */
export function encodeHash({ expression, values, expand }) {
  const p = new URLSearchParams();
  p.set('program', expression ?? '');
  if (values && Object.keys(values).length) p.set('values', JSON.stringify(values));
  if (expand === true) p.set('expand', 'all');
  else if (expand && expand.length) p.set('expand', expand.join(','));
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
  return { expression: p.get('program'), values, expand };
}
