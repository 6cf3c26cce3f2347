// The deep chain as the API draws it, built by hand (rows.test.js, row-keys.test.js).

/** The chain as the API draws it: a_i = tanh(a_{i-1} * w + b) + a_{i-1} * 0.5, line by line. */
export function chainGraph(lines) {
  const nodes = [];
  const edges = [];
  const add = (id, kind, label, line, inputs = []) => {
    nodes.push({ id, kind, label, name: null, line, shape: [], value: 1, grad: 1, op: kind === 'op' ? label : kind });
    inputs.forEach((s, port) => edges.push({ id: `${id}:${port}`, source: s, target: id, port, contribution: 1 }));
    return id;
  };
  let a = add('a0', 'input', 'a0', 1);
  add('w', 'input', 'w', 2);
  add('b', 'input', 'b', 3);
  for (let i = 1; i <= lines; i++) {
    const l = i + 3;
    const m = add(`m${i}`, 'op', '*', l, [a, 'w']);
    const p = add(`p${i}`, 'op', '+', l, [m, 'b']);
    const t = add(`t${i}`, 'op', 'tanh', l, [p]);
    const c = add(`c${i}`, 'const', '0.5', l);
    const h = add(`h${i}`, 'op', '*', l, [a, c]);
    a = add(`a${i}`, 'op', '+', l, [t, h]);
    nodes.at(-1).name = `a${i}`;
  }
  const inputs = { a0: 'a0', w: 'w', b: 'b' };
  return { output: a, nodes, edges, groups: {}, inputs };
}
