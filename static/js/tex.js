// KaTeX, loaded lazily from the app's vendor route so the page starts without waiting for it.

let katex = null;
const ready = import('/vendor/katex/katex.mjs')
  .then((m) => {
    katex = m.default;
    return katex;
  })
  .catch(() => null); // Without KaTeX the formulas stay readable as plain text.

/** Renders TeX into an element (plain-text fallback until KaTeX has loaded). */
export function renderTex(node, tex, fallback = tex) {
  if (katex) {
    katex.render(tex, node, { throwOnError: false, displayMode: false });
    return;
  }
  node.textContent = fallback;
  ready.then((k) => k && node.isConnected && k.render(tex, node, { throwOnError: false }));
}

/** A number as TeX (NaN and infinities spelled the way KaTeX draws them nicely). */
export function texNumber(text) {
  if (text === '∞') return '\\infty';
  if (text === '−∞') return '-\\infty';
  if (text === 'NaN') return '\\text{NaN}';
  return text.replace(/e(-?\d+)$/, '\\!\\times\\!10^{$1}');
}
