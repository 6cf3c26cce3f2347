// The HTTP API of the server (POST /api/graph, /api/gradcheck, /api/codegen; GET /api/ops, /api/examples).

/** An API error with the server's message and source position. */
export class ApiError extends Error {
  constructor(detail, status) {
    super(detail?.message || `HTTP ${status}`);
    this.line = detail?.line ?? null;
    this.column = detail?.column ?? null;
    this.kind = detail?.kind ?? null;
    this.status = status;
  }
}

/** POSTs JSON and returns the parsed body, throwing ApiError on 4xx/5xx. */
export async function post(path, body, signal) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return parse(res);
}

/** Parses a response; FastAPI puts errors under "detail" (an object, a string or a list). */
async function parse(res) {
  const data = await res.json().catch(() => null);
  if (res.ok) return data;
  let detail = data?.detail;
  if (typeof detail === 'string') detail = { message: detail };
  if (Array.isArray(detail)) detail = { message: detail.map((d) => d.msg).join('; ') };
  throw new ApiError(detail, res.status);
}

/** Evaluates a program into the graph JSON. */
export function fetchGraph({ expression, values, expand }, signal) {
  return post('/api/graph', { expression, values: values || {}, expand: expand ?? false }, signal);
}

/** Runs the numerical gradient check. */
export function fetchGradcheck({ expression, values }) {
  return post('/api/gradcheck', { expression, values: values || {} });
}

/** The program as staged Python: {filename, code}. */
export function fetchCodegen({ expression, values, expand }) {
  return post('/api/codegen', { expression, values: values || {}, expand: expand ?? false });
}

/** Lists the language's operations. */
export async function fetchOps() {
  return parse(await fetch('/api/ops'));
}

/** Lists the example programs. */
export async function fetchExamples() {
  return parse(await fetch('/api/examples'));
}
