// The HTTP API of the server (POST /api/graph, /api/gradcheck, /api/codegen; GET /api/ops, /api/examples).
import { getLang, langTag } from './i18n.js';

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
      ? { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal }
      : { headers, signal };
    const res = await fetch(withLang(path), init);
    return { status: res.status, data: await res.json().catch(() => null) };
  },
};
let transport = httpTransport;

/** The path with the page's language as a query parameter (the server's texts follow it); English,
 *  the server's default, goes by the Accept-Language header alone, so its URLs stay as they were. */
function withLang(path) {
  const lang = getLang();
  return lang === 'en' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

/** Routes every request elsewhere (the notebook widget's kernel, an exported file); null restores HTTP. */
export function setTransport(t) {
  transport = t || httpTransport;
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

/** Evaluates a program into the graph JSON. */
export function fetchGraph({ expression, values, expand, fold, free }, signal) {
  const body = { expression, values: values || {}, expand: expand ?? false };
  if (fold?.length) body.fold = fold; // calls of user functions to draw folded
  if (free !== undefined) body.free = free; // names never assigned become inputs with this value
  return post('/api/graph', body, signal);
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
