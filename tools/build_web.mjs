// Bundles the page's ES modules into one module for the notebook widget and the standalone HTML
// export: `node tools/build_web.mjs OUT_DIR` writes OUT_DIR/gatewise.js and OUT_DIR/gatewise.css.
// The page itself needs no build step; only places without a server (a notebook, a file) use this.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] || join(root, 'build', 'web'));
const modules = join(root, 'node_modules');
const read = (p) => readFileSync(p, 'utf8');

// The page loads vendor files from the server's /vendor/ route; here they come from node_modules.
// `gatewise:layout-worker` is the worker's source with ELK in front, for a Worker made from a Blob;
// `gatewise-scoped:` loads one of the page's stylesheets nested under the widget's root.
const vendor = {
  name: 'gatewise-vendor',
  setup(b) {
    b.onResolve({ filter: /^\/vendor\// }, (a) => ({ path: vendorPath(a.path) }));
    b.onResolve({ filter: /^gatewise:layout-worker$/ }, (a) => ({ path: a.path, namespace: 'gatewise' }));
    b.onLoad({ filter: /./, namespace: 'gatewise' }, () => ({
      contents: `${read(join(modules, 'elkjs/lib/elk.bundled.js'))}\n${read(join(root, 'static/js/layout-worker.js'))}`,
      loader: 'text',
    }));
    b.onResolve({ filter: /^gatewise-scoped:/ }, (a) => ({
      path: resolve(a.resolveDir, a.path.slice('gatewise-scoped:'.length)),
      namespace: 'gatewise-scoped',
    }));
    b.onLoad({ filter: /./, namespace: 'gatewise-scoped' }, (a) => ({ contents: scoped(read(a.path)), loader: 'css' }));
  },
};

/** A page stylesheet nested under .gatewise-widget: its :root and body rules become the widget's own
 *  (so a notebook's page keeps its styles), and html-level rules are dropped. */
function scoped(css) {
  const own = css.replace(/^:root\s*\{/m, '& {').replace(/^html, body\s*\{[^}]*\}/m, '').replace(/^body\s*\{/m, '& {');
  return `.gatewise-widget {\n${own}\n}\n`;
}

/** node_modules path of a /vendor/<package>/<file> URL (the server maps packages the same way). */
function vendorPath(url) {
  const [, , pkg, ...rest] = url.split('/');
  const folder = { elkjs: 'elkjs/lib', katex: 'katex/dist' }[pkg];
  if (!folder) throw new Error(`no vendor folder for ${url}`);
  return join(modules, folder, ...rest);
}

await build({
  entryPoints: [join(root, 'static/js/widget.js')],
  outfile: join(out, 'gatewise.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  plugins: [vendor],
  logLevel: 'warning',
});

// KaTeX's fonts are inlined (woff2 only: every browser that runs the page reads it), so the
// formulas render with no file beside the notebook or the exported HTML.
await build({
  entryPoints: [join(root, 'static/css/widget-bundle.css')],
  outfile: join(out, 'gatewise.css'),
  bundle: true,
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'], // nesting is lowered to plain selectors
  loader: { '.woff2': 'dataurl', '.woff': 'empty', '.ttf': 'empty' },
  plugins: [vendor],
  logLevel: 'warning',
});
