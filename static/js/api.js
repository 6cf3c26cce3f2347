// The HTTP API of the server (POST /api/graph, /api/tensor, /api/gradcheck, /api/codegen; GET /api/ops,
// /api/examples).
import { getLang, langTag } from './i18n.js';
import { hydrate } from './lean.js';

/** An API error with the server's message and source position. */
export class ApiError extends Error {
  constructor(detail, status) {
    super(detail?.message || `HTTP ${status}`);
    this.line = detail?.line ?? null;
    this.column = detail?.column ?? null;
    this.kind = detail?.kind ?? null;
    this.code = detail?.code ?? null; // with params: the page writes the message in its own language
    this.params = detail?.params ?? {};
    this.status = status;
  }
}

/** The default transport: HTTP to this page's server. request() resolves to {status, data}. */
const httpTransport = {
  async request(method, path, body, signal) {
    const headers = { 'Accept-Language': langTag() };
    const init = method === 'POST'
      ? { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: bodyJson(path, body), signal }
      : { headers, signal };
    const res = await fetch(withLang(path), init);
    return { status: res.status, data: await res.json().catch(() => null) };
  },
};
let transport = httpTransport;

const valuesJson = new WeakMap(); // a drawn graph's values, serialised once for its tensor windows (the
// value's and the gradient's send the same values: an MNIST batch is 78,400 numbers, 15-30 ms each time)

/** A request body as JSON; a tensor window's `values` (the drawn graph's, never changed) serialised once. */
function bodyJson(path, body) {
  const values = body?.values;
  if (path !== '/api/tensor' || !values || typeof values !== 'object') return JSON.stringify(body);
  if (!valuesJson.has(values)) valuesJson.set(values, JSON.stringify(values));
  // A key cannot occur inside a JSON string (its quotes are escaped), so the first match is the key.
  return JSON.stringify({ ...body, values: 0 }).replace('"values":0', () => `"values":${valuesJson.get(values)}`);
}

/** The path with the page's language as a query parameter (the server's texts follow it); English,
 *  the server's default, goes by the Accept-Language header alone, so its URLs stay as they were. */
function withLang(path) {
  const lang = getLang();
  return lang === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

/** Routes every request elsewhere (the notebook widget's kernel, an exported file); null restores HTTP. */
export function setTransport(t) {
  transport = t || httpTransport;
  opsTable = null;
}

/** POSTs JSON and returns the parsed body, throwing ApiError on 4xx/5xx. */
export async function post(path, body, signal) {
  return answer(await transport.request('POST', path, body, signal));
}

/** GETs a path's JSON. */
async function get(path) {
  return answer(await transport.request('GET', path));
}

/** The body of a success; FastAPI puts errors under "detail" (an object, a string or a list). */
function answer({ status, data }) {
  if (status >= 200 && status < 300) return data;
  let detail = data?.detail;
  if (typeof detail === 'string') detail = { message: detail };
  if (Array.isArray(detail)) detail = { message: detail.map((d) => d.msg).join('; ') };
  throw new ApiError(detail, status);
}

/** Evaluates a program into the graph the page reads: the lean page form, rebuilt (see lean.js). */
export async function fetchGraph({ expression, values, expand, fold, free }, signal) {
  const body = { expression, values: values || {}, expand: expand ?? false, format: 'page' };
  if (fold?.length) body.fold = fold; // calls of user functions to draw folded
  if (free !== undefined) body.free = free; // names never assigned become inputs with this value
  const answer = await post('/api/graph', body, signal);
  if (answer?.format !== 'page') return answer; // a transport's full answer (a saved file, the notebook)
  let ops = await opsByName();
  if (answer.ops.some((op) => op !== 'input' && op !== 'const' && !(op in ops))) ops = await opsByName(true);
  return hydrate(answer, ops, body);
}

/** A window of a node's value or gradient (rows and cols are [start, stop] of its matrix). */
export function fetchTensor(request, node, field, rows, cols, signal) {
  const body = { expression: request.expression, values: request.values || {}, expand: request.expand ?? false, node, field, rows, cols };
  if (request.free !== undefined && request.free !== null) body.free = request.free;
  return post('/api/tensor', body, signal);
}

let opsTable = null; // GET /api/ops by name, once per transport: the formula texts edges refer to

/** The op table by name (fresh: fetched again, for an op registered since). */
function opsByName(fresh = false) {
  if (fresh || !opsTable) {
    opsTable = fetchOps().then((list) => Object.fromEntries(list.map((o) => [o.name, o])));
    opsTable.catch(() => (opsTable = null));
  }
  return opsTable;
}

/** Runs the numerical gradient check. */
export function fetchGradcheck({ expression, values }) {
  return post('/api/gradcheck', { expression, values: values || {} });
}

/** The program as code, {filename, code}: staged NumPy (target "python") or PyTorch ("torch"). */
export function fetchCodegen({ expression, values, expand }, target = 'python') {
  return post('/api/codegen', { expression, values: values || {}, expand: expand ?? false, target });
}

/** Lists the language's operations. */
export function fetchOps() {
  return get('/api/ops');
}

/** The server's error templates by code, {code: template}, in the page's language. */
export function fetchMessages() {
  return get('/api/messages');
}

/** Lists the example programs. */
export function fetchExamples() {
  return get('/api/examples');
}
