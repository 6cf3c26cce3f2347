// Entry of the bundle for places without a server (tools/build_web.mjs): the notebook widget
// (anywidget's render) and the standalone HTML export (mounts itself on #gatewise-data). It mounts
// the page's own modules; only the transport (kernel or file instead of HTTP) and the worker differ.
// Its texts are the page's catalogs (i18n.js) in the widget's `lang` trait or the file's language.
import { fetchGradcheck, setTransport } from './api.js';
import { createApp } from './app.js';
import { createControls } from './controls.js';
import { createEditor } from './editor.js';
import { createExplainer } from './explain.js';
import { formatRelError, toNumber } from './format.js';
import { errorText, langTag, onLang, setLang, t } from './i18n.js';
import { setInline, translateDom } from './i18n-dom.js';
import { createInputs } from './inputs.js';
import { createInspector } from './inspector.js';
import { setWorkerFactory } from './layout-client.js';
import { createRenderer } from './render.js';
import { createViewport } from './viewport.js';
import { drawLoss } from './train/draw.js';
import { mountTrain } from './train/panel.js';
import { fileTransport, kernelTransport } from './widget-transport.js';
import layoutWorkerSource from 'gatewise:layout-worker';

const TEMPLATE = `
  <div class="gw-bar">
    <span class="gw-brand"><span class="brand-mark">∂</span> Gatewise</span>
    <span class="gw-engine" data-gw="engine"></span>
    <span class="spacer"></span>
    <button data-gw="gradcheck" data-i18n="toolbar.gradcheck" data-i18n-title="toolbar.gradcheck_title"></button>
    <button data-gw="zoom-in" data-i18n-aria-label="zoom.in" data-i18n-title="zoom.in">+</button><button data-gw="zoom-out" data-i18n-aria-label="zoom.out" data-i18n-title="zoom.out">−</button>
    <button data-gw="fit" data-i18n="zoom.fit" data-i18n-title="zoom.fit_title"></button>
  </div>
  <div class="workspace">
    <aside class="sidebar">
      <section class="panel editor-panel">
        <div class="panel-head"><h2 data-i18n="editor.title"></h2><span class="kbd-hint"><kbd>Ctrl</kbd>+<kbd>Enter</kbd></span>
          <button data-gw="evaluate" class="primary" data-i18n="editor.evaluate"></button></div>
        <div class="editor"><div data-gw="gutter" class="gutter" aria-hidden="true"></div>
          <div class="editor-stack"><pre data-gw="marks" class="marks" aria-hidden="true"></pre>
            <textarea data-gw="expression" spellcheck="false" autocomplete="off" wrap="off" data-i18n-aria-label="editor.title"></textarea>
          </div></div>
        <div data-gw="error" class="error" role="alert" hidden></div>
      </section>
      <section class="panel inputs-panel" hidden>
        <h2><span data-i18n="inputs.title"></span> <span class="sub" data-gw="inputs-hint" data-i18n="inputs.sub"></span></h2><div data-gw="inputs"></div>
      </section>
      <section class="panel explain-panel"><h2 data-i18n="explain.title"></h2><div data-gw="explain"></div></section>
      <section data-gw="train"></section>
    </aside>
    <section class="stage">
      <svg data-gw="circuit" class="circuit" role="img" data-i18n-aria-label="circuit.aria">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,1 L9,5 L0,9 z" class="arrowhead"></path></marker></defs>
        <g class="viewport"></g>
      </svg>
      <div class="legend"><span class="legend-val" data-i18n="legend.value"></span> <span data-i18n="legend.above"></span>
        <span class="legend-grad" data-i18n="legend.gradient"></span> <span data-i18n="widget.legend_below"></span></div>
      <div data-gw="note" class="note" role="note" hidden></div>
      <dialog data-gw="inspector" class="inspector">
        <div class="dialog-head"><h2 class="inspector-title"></h2><button class="close" data-i18n-aria-label="dialog.close">×</button></div>
        <div class="inspector-body"></div>
      </dialog>
      <footer class="player">
        <button data-gw="reset" data-i18n="player.reset" data-i18n-aria-label="player.reset" data-i18n-title="player.reset_title"></button><button data-gw="prev" data-i18n-aria-label="player.prev" data-i18n-title="player.prev_title">◀</button>
        <button data-gw="play" class="play" data-i18n-aria-label="player.play" data-i18n-title="player.play_title">▶</button><button data-gw="next" data-i18n-aria-label="player.next" data-i18n-title="player.next_title">▶▏</button>
        <input data-gw="scrubber" class="scrubber" type="range" min="0" max="0" value="0" data-i18n-aria-label="player.scrubber">
        <label class="speed"><span data-i18n="player.speed"></span> <select data-gw="speed" data-i18n-aria-label="player.speed_label"><option value="0.5">0.5×</option>
          <option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option></select></label>
        <span data-gw="status" class="step-status"></span>
      </footer>
    </section>
  </div>`;

// No server to load layout-worker.js and ELK from: the worker runs from a Blob of both (bundled).
setWorkerFactory(() => {
  const url = URL.createObjectURL(new Blob([layoutWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return worker;
});

/** Builds the circuit's views inside el, wired like the page's; returns {app, root, q}. */
export function mountCircuit(el, { engine = true } = {}) {
  const root = Object.assign(document.createElement('div'), { className: 'gatewise-widget', tabIndex: 0, innerHTML: TEMPLATE });
  if (!engine) root.classList.add('gw-file');
  el.append(root);
  const q = (role) => root.querySelector(`[data-gw="${role}"]`);
  showLang(root);
  q('play').setAttribute('aria-label', t('player.play')); // then the controls keep it (play / pause)
  const views = { root, keepHash: false };
  const app = createApp(views);
  const svg = q('circuit');
  views.viewport = createViewport(svg);
  views.renderer = createRenderer(svg, {
    onNodeClick: (id) => app.select(id),
    onNodeHover: (id) => app.hover(id),
    onNodeDblClick: (id) => app.expand(id),
    onFold: (id) => app.fold(id),
  });
  views.editor = createEditor(
    { textarea: q('expression'), gutter: q('gutter'), marks: q('marks'), errorBox: q('error'), button: q('evaluate') },
    { onEdit: () => app.edited(), onRun: () => app.evaluate() },
  );
  const player = { reset: q('reset'), prev: q('prev'), next: q('next'), play: q('play'), speed: q('speed'), scrubber: q('scrubber') };
  // Keys act only while the widget has focus: a notebook has other uses for arrows and space.
  views.controls = createControls(player, (pos, quiet) => app.seek(pos, quiet), root);
  const scrub = engine ? (name, value) => app.scrub({ [name]: value }) : () => {};
  views.inputs = createInputs(q('inputs'), scrub);
  views.explainer = createExplainer(q('explain'), { expand: (id) => app.expand(id), fold: (id) => app.fold(id), inspect: (id) => app.select(id) });
  views.inspector = createInspector(q('inspector'), { graph: () => app.getGraph() });
  views.status = q('status');
  views.note = q('note');
  q('zoom-in').addEventListener('click', () => views.viewport.zoomIn());
  q('zoom-out').addEventListener('click', () => views.viewport.zoomOut());
  q('fit').addEventListener('click', () => views.viewport.fit());
  const line = q('engine');
  q('gradcheck').addEventListener('click', () => gradcheck(app, views, line));
  onLang(() => line.said && (line.textContent = line.said())); // a switch rewrites the check's verdict
  return { app, root, q, views };
}

/** The widget's texts in the current language: its root's lang and every marked text. */
function showLang(root) {
  root.lang = langTag();
  translateDom(root);
}

/** The gradient check, its relative errors as badges on the inputs (as the page's toolbar does). */
async function gradcheck(app, views, line) {
  const say = (said) => {
    line.said = said;
    line.textContent = said();
  };
  try {
    const res = await fetchGradcheck(app.getProgram());
    const badges = new Map();
    for (const r of Object.values(res.inputs || {})) {
      const e = toNumber(r.rel_error);
      badges.set(r.id, { ok: Number.isFinite(e) && e < 1e-4, text: `${e < 1e-4 ? '✓' : '✗'} ${formatRelError(e)}` });
    }
    views.renderer.setBadges(badges);
    const error = formatRelError(res.max_rel_error);
    say(() => t(res.ok ? 'widget.gradcheck_passed' : 'widget.gradcheck_failed', { error }));
  } catch (err) {
    say(() => t('widget.gradcheck_error', { message: errorText(err) }));
  }
}

/** anywidget's view: the engine is the kernel; traits and messages keep Python and the drawing in step. */
function render({ model, el }) {
  const transport = kernelTransport();
  setTransport(transport);
  transport.attach(model);
  setLang(model.get('lang') || 'en');
  const { app, root, q, views } = mountCircuit(el);
  const train = mountTrain(app, q('train'), { stylesheet: false });
  const engine = q('engine');
  engine.said = () => t('widget.engine');
  engine.textContent = engine.said();
  const onMessage = (msg) => {
    if (msg.kind === 'response') transport.answer(msg);
    else if (msg.kind === 'show') {
      transport.prime(msg);
      app.setProgram(msg.program, msg.values, msg.expand);
    } else if (msg.kind === 'train') showTraining(train.element, msg);
  };
  model.on('msg:custom', onMessage);
  const onLangTrait = () => switchLang(app, views, root, transport, model.get('lang'));
  model.on('change:lang', onLangTrait);
  // What the user draws (edits, scrubbing, folding) becomes c.program, c.values and c.expand.
  const stop = app.onGraph(() => {
    const p = app.getProgram();
    model.set({ program: p.expression, values: p.values, expand: p.expand });
    model.save_changes();
  });
  app.setProgram(model.get('program'), model.get('values'), model.get('expand'));
  return () => {
    stop();
    model.off('msg:custom', onMessage);
    model.off('change:lang', onLangTrait);
    transport.detach(model);
    root.remove();
  };
}

/** c.lang changed: the texts follow, and the kernel's (errors, op docs, notes) are asked for again;
 *  the program, its values and the animation's step stay. */
async function switchLang(app, views, root, transport, lang) {
  if (!setLang(lang)) return;
  showLang(root);
  setTransport(transport); // the op table (docs, formulas) is fetched again, in this language
  const pos = views.controls.pos;
  const drawn = app.getGraph();
  await app.evaluate();
  if (drawn) app.seekTo(pos);
}

/** A run of c.train() in the kernel: its loss curve and status in the Train panel. */
function showTraining(panel, msg) {
  drawLoss(panel.querySelector('[data-role="loss"]'), msg.losses);
  const status = panel.querySelector('[data-role="status"]');
  status.said = () => t('widget.train_progress', { step: msg.steps, steps: msg.total, loss: msg.loss });
  status.textContent = status.said();
  panel.dataset.trained = String(msg.steps);
  if (!panel.sayAgain) panel.sayAgain = onLang(() => status.said && (status.textContent = status.said()));
}

/** The standalone HTML export: one circuit at its numbers, from the data embedded in the file. */
function mountFile(el, data) {
  setTransport(fileTransport(data));
  setLang(data.lang || 'en');
  document.documentElement.lang = langTag();
  const { app, q } = mountCircuit(el, { engine: false });
  q('engine').textContent = t('exporthtml.engine');
  const hint = q('inputs-hint');
  delete hint.dataset.i18n;
  setInline(hint, t('exporthtml.inputs_hint'));
  q('expression').readOnly = true;
  const train = q('train');
  train.className = 'panel train-panel';
  train.innerHTML = '<div class="panel-head"><h2 data-i18n="train.title"></h2></div><p class="hint" data-i18n-html="exporthtml.train_hint"></p>';
  translateDom(train);
  return app.setProgram(data.program, data.values, data.expand);
}

const embedded = globalThis.document?.getElementById('gatewise-data');
if (embedded) mountFile(document.getElementById('gatewise'), JSON.parse(embedded.textContent));

export default { render };
