// Transports for api.js where there is no HTTP server: the notebook kernel (anywidget messages) and a
// saved file (the embedded answers). Each has request(method, path, body, signal) -> {status, data}.
import { t } from './i18n.js';

let kernel = null;

/** The one kernel transport of this page. Every Circuit widget's model reaches the same kernel and the
 *  API is stateless, so any attached model can carry a request; its answer comes back on that model. */
export function kernelTransport() {
  kernel ||= new KernelTransport();
  return kernel;
}

class KernelTransport {
  constructor() {
    this.models = [];
    this.pending = new Map();
    this.next = 1;
    this.primed = null;
    this.prefix = Math.random().toString(36).slice(2);
  }

  attach(model) {
    this.models.push(model);
  }

  detach(model) {
    this.models = this.models.filter((m) => m !== model);
  }

  /** A graph the kernel sent with a `show` message answers the next request for that program. */
  prime(msg) {
    this.primed = { expression: msg.program, status: msg.status, body: msg.body };
  }

  request(method, path, body, signal) {
    const primed = this.primed;
    if (primed && method === 'POST' && path === '/api/graph' && body?.expression === primed.expression) {
      this.primed = null;
      return Promise.resolve({ status: primed.status, data: JSON.parse(primed.body) });
    }
    const model = this.models.at(-1);
    if (!model) return Promise.reject(new Error(t('widget.no_kernel')));
    const id = `${this.prefix}-${this.next++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        this.pending.delete(id);
        reject(new DOMException('The request was stopped', 'AbortError'));
      });
      model.send({ kind: 'request', id, method, path, body: body === undefined ? null : JSON.stringify(body) });
    });
  }

  /** The kernel's answer to a request (ignored if it was stopped, or is another view's). */
  answer(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    let data = null;
    try {
      data = JSON.parse(msg.body);
    } catch {
      data = { detail: { message: t('widget.not_json') } };
    }
    p.resolve({ status: msg.status, data });
  }
}

/** Answers from a saved file: its graph, gradient check and op table; anything else needs an engine. */
export function fileTransport(data) {
  return {
    async request(method, path, body) {
      const same = body?.expression === data.program && JSON.stringify(expandIds(body?.expand)) === JSON.stringify(expandIds(data.expand));
      if (path === '/api/graph' && same) return { status: 200, data: data.graph };
      if (path === '/api/gradcheck' && body?.expression === data.program && data.gradcheck) return { status: 200, data: data.gradcheck };
      if (path === '/api/ops') return { status: 200, data: data.ops || [] };
      const message = t(path === '/api/graph' ? 'exporthtml.expand_needs_engine' : 'exporthtml.needs_engine');
      return { status: 400, data: { detail: { message, kind: 'engine' } } };
    },
  };
}

/** Expansions as the app keeps them: true (all) or a list of ids. */
function expandIds(x) {
  return x === true ? true : Array.isArray(x) ? x : [];
}
