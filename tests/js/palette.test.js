// The circuit's value and gradient colours (graph.css) stay apart under colour-blindness and meet
// WCAG AA on white. Simulation: Machado et al. (2009) matrices at full severity, in linear RGB.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const css = readFileSync(new URL('../../static/css/graph.css', import.meta.url), 'utf8');
const colour = (name) => css.match(new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i'))[1];
const SIM = {
  none: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex) => [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
const see = (l, m) => m.map((r) => Math.min(1, Math.max(0, r[0] * l[0] + r[1] * l[1] + r[2] * l[2])));
const lum = (l) => 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
const contrast = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
function lab(l) {
  const f = (t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
  const y = lum(l);
  const z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a, b) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

test('values and gradients stay distinct under every colour-vision deficiency and meet AA on white', () => {
  const [value, grad] = [rgb(colour('value')), rgb(colour('grad'))];
  for (const [name, m] of Object.entries(SIM)) {
    const [v, g] = [see(value, m), see(grad, m)];
    assert.ok(deltaE(v, g) > 60, `${name}: ΔE ${deltaE(v, g).toFixed(1)}`);
    assert.ok(contrast(v, [1, 1, 1]) >= 4.5 && contrast(g, [1, 1, 1]) >= 4.5, name);
  }
  // The old green and red were the same olive under deuteranopia: the check would have caught it.
  assert.ok(deltaE(see(rgb('#1b8a3a'), SIM.deuteranopia), see(rgb('#c62828'), SIM.deuteranopia)) < 20);
});
