// Entry module: builds the views, wires the toolbar, and opens the program from the URL or an example.
import { fetchCodegen, fetchExamples, fetchGradcheck, fetchMessages, fetchOps } from './api.js';
import { createApp } from './app.js';
import { createControls } from './controls.js';
import { createEditor } from './editor.js';
import { svgString, pngBlob, download } from './exporter.js';
import { createExplainer } from './explain.js';
import { createGateKeys } from './gate-keys.js';
import { formatRelError, toNumber } from './format.js';
import { inputValues, stepLines } from './graph-state.js';
import { fillExamples, fillHelp } from './help.js';
import { createInputs } from './inputs.js';
import { createInspector } from './inspector.js';
import { startLayoutWorker } from './layout-client.js';
import { createRenderer } from './render.js';
import { decodeHash } from './share.js';
import { createViewport } from './viewport.js';
import { mountTrain } from './train/panel.js';
import { mountTeaching } from './teach/index.js';
import { mountHtmlExport } from './export-html.js';
import { mountGrading } from './grading.js';
import { errorText, getLang, setMessages, t } from './i18n.js';
import { mountSwitch, say, startLanguage } from './i18n-dom.js';

const $ = (sel) => document.querySelector(sel);
const DEFAULT_PROGRAM = 'x = 3\ny = -4\nf = x * y + x';

startLanguage(); // before any view is built: they read the catalog as they go
startLayoutWorker();
const views = {};
/** The app object other modules (e.g. a Train panel) use: getGraph(), evaluate(values), onGraph(cb). */
export const app = createApp(views);
window.gatewise = app; // for the browser tests and the benchmark

const svg = $('#circuit');
views.viewport = createViewport(svg);
views.renderer = createRenderer(svg, {
  onNodeClick: (id) => app.select(id),
  onNodeHover: (id) => app.hover(id),
  onNodeDblClick: (id) => app.expand(id),
  onFold: (id) => app.fold(id),
});
views.gates = createGateKeys(svg, {
  element: (id) => views.renderer.element(id),
  focus: (id) => app.hover(id),
  select: (id) => app.select(id),
  expand: (id) => app.expand(id),
  fold: (id) => app.fold(id),
});
views.editor = createEditor(
  { textarea: $('#expression'), gutter: $('#gutter'), marks: $('#marks'), errorBox: $('#error'), button: $('#evaluate') },
  { onEdit: () => edited(), onRun: () => app.evaluate(), typingDelay: () => app.typingDelay() },
);
views.controls = createControls(
  { reset: $('#reset'), prev: $('#step-prev'), next: $('#step-next'), play: $('#play'), speed: $('#speed'), scrubber: $('#scrubber') },
  (pos, quiet) => app.seek(pos, quiet),
);
views.inputs = createInputs($('#inputs'), (name, value) => app.scrub({ [name]: value }));
views.explainer = createExplainer($('#explain'), {
  expand: (id) => app.expand(id),
  fold: (id) => app.fold(id),
  inspect: (id) => app.select(id),
});
views.inspector = createInspector($('#inspector'), { graph: () => app.getGraph() });
views.status = $('#step-status');
views.note = $('#note');
views.busy = $('#busy');

wireToolbar();
wireEscape();
// The editor marks the program line of each step (inside an open call: the def body's and the call's).
app.onStep((pos, active) => {
  const at = active && app.getIndex() ? stepLines(app.getIndex(), active.node) : { line: null, around: [] };
  views.editor.showStep(at.line, at.around);
});
const train = mountTrain(app, $('#train-panel'));
window.gatewiseTeach = mountTeaching(app, views, toast); // practice, code view, diagnostics, data
mountHtmlExport(app, { menu: $('.menu-items'), toast });
mountGrading(app, { gutter: $('#gutter'), svg, after: $('.editor-panel') }); // the d<name> = … lines, graded
let menu = null;
mountSwitch($('#help'), switched);
open();

/** Opens the program in the URL hash, else the first example, else a default program. */
async function open() {
  const examples = await loadTexts();
  // The menu names the example whose program is on the page (set from anywhere), else none.
  app.onGraph(() => menu.show(menu.examples.findIndex((ex) => ex.expression === views.editor.value)));
  const shared = decodeHash(location.hash);
  if (shared) app.setProgram(shared.expression, shared.values, shared.expand, shared.fold);
  else if (examples.length) loadExample(examples, examples[0]);
  else app.setProgram(DEFAULT_PROGRAM);
}

/** The texts the server writes in the page's language: examples, Help's ops and error templates. */
async function loadTexts(switched = false) {
  const lang = getLang();
  // English messages come with each error; other languages render errors by code from the catalog,
  // and so does English after a switch (an error shown before it came in the other language).
  if (lang !== 'en' || switched) fetchMessages().then((m) => lang === getLang() && gotMessages(m, lang)).catch(() => {});
  const examples = await fetchExamples().catch(() => []);
  menu = fillExamples($('#examples'), examples, (ex) => {
    loadExample(menu.examples, ex);
    svg.focus({ preventScroll: true }); // ← → and Space step and play at once; Tab then reaches a gate
  });
  menu.examples = examples;
  menu.show(examples.findIndex((ex) => ex.expression === views.editor.value));
  fetchOps()
    .then((ops) => fillHelp($('#help-body'), ops))
    .catch(() => {});
  return examples;
}

/** The server's error templates for lang are in: texts made from them are written again. */
function gotMessages(m, lang) {
  setMessages(m);
  document.body.dataset.messages = lang; // tests wait for it after a switch
}

/** The language switch: the page's texts follow, the program, its values, the view and the step stay. */
async function switched() {
  const pos = views.controls.pos;
  await loadTexts(true);
  const drawn = app.getGraph();
  await app.evaluate(); // the server's texts (notes, grading, errors) in the new language
  if (drawn) app.seekTo(pos);
}

/** Loads an example with its training preset; the menu shows it until the program is edited. */
function loadExample(examples, ex) {
  train.preset(ex.train);
  menu?.show(examples.indexOf(ex));
  return app.setProgram(ex.expression, ex.values || {}, ex.expand || []);
}

/** An edit: the program is no longer the example the menu names. */
function edited() {
  menu?.show(-1);
  app.edited();
}

/** Escape closes the inspector (Help is a modal dialog: Escape closes it natively). */
function wireEscape() {
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !$('#inspector').open || $('#help-dialog').open) return;
    const inside = $('#inspector').contains(document.activeElement);
    views.inspector.close();
    if (inside) svg.querySelector('[data-node-id][tabindex="0"]')?.focus();
  });
}

/** Toolbar buttons: zoom, help, gradient check, share and exports. */
function wireToolbar() {
  $('#zoom-in').addEventListener('click', () => views.viewport.zoomIn());
  $('#zoom-out').addEventListener('click', () => views.viewport.zoomOut());
  $('#fit').addEventListener('click', () => views.viewport.fit());
  $('#help').addEventListener('click', () => $('#help-dialog').showModal());
  $('#help-dialog .close').addEventListener('click', () => $('#help-dialog').close());
  $('#gradcheck').addEventListener('click', runGradcheck);
  $('#share').addEventListener('click', share);
  $('#export-svg').addEventListener('click', async () => download('gatewise.svg', await exportSvg(), 'image/svg+xml'));
  $('#export-png').addEventListener('click', async () => download('gatewise.png', await pngBlob(await exportSvg(), size())));
  $('#export-json').addEventListener('click', () => download('gatewise.json', JSON.stringify(app.getGraph(), null, 2), 'application/json'));
  $('#export-python').addEventListener('click', () => exportCode('python', 'Python', 'gatewise_backprop.py'));
  $('#export-torch').addEventListener('click', () => exportCode('torch', 'PyTorch', 'gatewise_torch.py'));
  window.addEventListener('hashchange', () => {
    const shared = decodeHash(location.hash);
    // A link to the program shown reopens it only if it opens or folds other groups.
    const same = shared && shared.expression === views.editor.value
      && JSON.stringify([shared.expand, shared.fold]) === JSON.stringify([app.expanded, app.folded]);
    if (shared && !same) app.setProgram(shared.expression, shared.values, shared.expand, shared.fold);
  });
}

/** Downloads the current program as code at its current values: staged NumPy or a PyTorch module. */
async function exportCode(target, label, filename) {
  const graph = app.getGraph();
  if (!graph) return;
  try {
    const res = await fetchCodegen({ ...app.getProgram(), values: inputValues(graph) }, target);
    download(res.filename || filename, res.code, 'text/x-python');
  } catch (err) {
    toast(() => t('toast.export_failed', { what: label, message: errorText(err) }));
  }
}

/** The drawing's size. */
function size() {
  const m = app.getLayout();
  return { width: m?.width || 1, height: m?.height || 1 };
}

/** The drawing as a standalone SVG string. */
function exportSvg() {
  return views.renderer.whole(() => svgString(svg, size())); // rows out of view are drawn too
}

/** Runs the numerical gradient check and badges each input with its relative error. */
async function runGradcheck() {
  const btn = $('#gradcheck');
  btn.disabled = true;
  try {
    const graph = app.getGraph();
    if (!graph) return;
    const res = await fetchGradcheck({ expression: app.getProgram().expression, values: inputValues(graph) });
    const badges = new Map();
    for (const [, r] of Object.entries(res.inputs || {})) {
      const e = toNumber(r.rel_error);
      badges.set(r.id, { ok: Number.isFinite(e) && e < 1e-4, text: `${e < 1e-4 ? '✓' : '✗'} ${formatRelError(e)}` });
    }
    views.renderer.setBadges(badges);
    toast(() => (res.ok ? t('toast.gradcheck_passed', { error: formatRelError(res.max_rel_error) }) : t('toast.gradcheck_failed')));
  } catch (err) {
    toast(() => t('toast.gradcheck_error', { message: errorText(err) }));
  } finally {
    btn.disabled = false;
  }
}

/** Copies the shareable link (the program lives in the URL hash), saying what it leaves out. */
async function share() {
  const link = app.getLink();
  const url = `${location.href.split('#')[0]}${link?.hash ?? ''}`;
  const left = () => (link?.omitted?.length ? t('toast.link_omitted', { names: link.omitted.join(', ') }) : '');
  const ms = link?.omitted?.length ? 9000 : 3500;
  try {
    await navigator.clipboard.writeText(url);
    toast(() => `${t('toast.link_copied')}${left()}`, ms);
  } catch {
    toast(() => `${t('toast.link_copy_bar')}${left()}`, ms);
  }
}

/** A short message at the bottom of the page; text: a string, or a function that writes it in the
 *  page's language (a toast still shown is written again after a switch). */
function toast(text, ms = 3500) {
  const t = $('#toast');
  say(t, 'text', typeof text === 'function' ? text : () => text);
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), ms);
}
