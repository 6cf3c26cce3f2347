"""The JavaScript page_bench.py runs in the page (kept apart so the script reads as its steps)."""

# Evaluates a program from scratch (no cached rows) and resolves with its timings: the whole
# evaluate -> drawing, the API's share, the longest main-thread task and the largest timer gap.
MEASURE = """async ([program, values, fresh]) => {
  if (fresh && window.gatewise.forgetLayouts) window.gatewise.forgetLayouts();
  else if (fresh) await window.gatewise.setProgram('x = 1', {}); // an older page: a new structure
  performance.clearMarks();
  const tasks = [];
  const obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => tasks.push(e.duration)));
  obs.observe({ type: 'longtask' });
  const ticks = [];
  const timer = setInterval(() => ticks.push(performance.now()), 10);
  const start = performance.now();
  await window.gatewise.setProgram(program, values || {});
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const painted = performance.now();
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 0));
  obs.disconnect();
  const response = performance.getEntriesByName('gw:response').at(-1)?.startTime ?? start;
  const gaps = ticks.slice(1).map((t, i) => t - ticks[i]);
  return {
    total: painted - start, api: response - start, status: document.body.dataset.status,
    nodes: window.gatewise.getGraph().nodes.length,
    longest: Math.max(0, ...tasks), gap: Math.max(0, ...gaps),
  };
}"""

# Scrubs an input on every animation frame for `ms` and counts the circuit's updates (data-evals)
# and the largest gap between frames.
SCRUB = """async ([name, base, ms]) => {
  const body = document.body;
  const evals0 = Number(body.dataset.evals);
  const frames = [];
  const start = performance.now();
  let i = 0;
  await new Promise((done) => {
    const tick = (t) => {
      frames.push(t);
      window.gatewise.scrub({ [name]: base + 0.001 * (++i) });
      if (t - start < ms) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  const secs = (performance.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // let the last request land
  const gaps = frames.slice(1).map((t, k) => t - frames[k]);
  return { rate: (Number(body.dataset.evals) - evals0) / secs, gap: Math.max(...gaps), sent: i };
}"""

# Arms a watch for the next drawn evaluation after an edit: resolves with ms from the edit's input
# event to the painted frame after the circuit was drawn.
KEY_WATCH = """() => {
  const body = document.body;
  window.__key = new Promise((resolve) => {
    const ta = document.querySelector('#expression');
    ta.addEventListener('input', () => {
      const t0 = performance.now();
      const evals = body.dataset.evals;
      const wait = () => (body.dataset.evals !== evals && body.dataset.status === 'ready'
        ? requestAnimationFrame(() => resolve(performance.now() - t0)) : setTimeout(wait, 2));
      wait();
    }, { once: true });
  });
}"""

# The longest main-thread task while an action runs (observed for `ms` after it starts).
LONGEST_TASK = """() => {
  window.__tasks = [];
  const keep = (l) => l.getEntries().forEach((e) => window.__tasks.push(e.duration));
  window.__obs = new PerformanceObserver(keep);
  window.__obs.observe({ type: 'longtask' });
}"""
LONGEST_TASK_END = "() => { window.__obs.disconnect(); return Math.max(0, ...window.__tasks); }"

# Overlapping pairs among the visible texts of the circuit on screen.
OVERLAPS = """() => {
  const shown = (t) => {
    for (let e = t; e && e.id !== 'circuit'; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return t.textContent.trim() !== '';
  };
  const stage = document.querySelector('#circuit').getBoundingClientRect();
  const onStage = (r) => r.width > 0 && r.right > stage.left && r.left < stage.right
    && r.bottom > stage.top && r.top < stage.bottom;
  const boxes = [...document.querySelectorAll('#circuit text')].filter(shown)
    .map((t) => t.getBoundingClientRect()).filter(onStage);
  let pairs = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const x = a.left < b.right - 0.5 && b.left < a.right - 0.5;
    if (x && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) pairs++;
  }
  return { texts: boxes.length, pairs, k: window.gatewise.viewScale() };
}"""

# A fixed amount of plain JavaScript work: how fast this machine runs the page right now.
SPEED = """() => {
  const t = performance.now();
  let s = 0;
  for (let i = 0; i < 2e7; i++) s += Math.sqrt(i) % 3;
  return performance.now() - t + (s < 0 ? 1 : 0);
}"""
