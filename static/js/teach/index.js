// The teaching modes, mounted into the page with one call from the entry module: practice, the
// code view, the diagnostics overlay, your own data with the model view, and the TikZ export.
import { mountBoundary } from './boundary.js';
import { mountCodeView } from './codeview.js';
import { mountDataPanel } from './data-panel.js';
import { mountDiagnostics } from './diagnostics.js';
import { mountPractice } from './practice.js';
import { mountTikzExport } from './tikz-export.js';

/** Mounts every teaching mode; views are the page's (explainer), toast shows a short message. */
export function mountTeaching(app, views, toast) {
  ensureStylesheet();
  const $ = (sel) => document.querySelector(sel);
  const svg = $('#circuit');
  const toolbar = document.createElement('div');
  toolbar.className = 'teach-tools';
  $('.topbar .spacer').after(toolbar);
  const sidebar = $('.sidebar');
  const train = $('#train-panel');
  const stage = $('.stage');
  const data = mountDataPanel(app, { sidebar, before: train });
  mountBoundary(app, { sidebar, before: train, features: () => data.$('data-x').value.trim() || 'X' });
  const diagnostics = mountDiagnostics(app, { svg, toolbar, stage, explainer: views.explainer, toast });
  const code = mountCodeView(app, { svg, toolbar, stage });
  const practice = mountPractice(app, { svg, toolbar, sidebar, toast });
  mountTikzExport(app, { menu: $('.menu-items'), toast });
  return { practice, code, diagnostics, data };
}

/** Adds teach.css to the page once (index.html stays as the page helper keeps it). */
function ensureStylesheet() {
  if (document.querySelector('link[href$="/css/teach.css"]')) return;
  document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/static/css/teach.css' }));
}
