// A small graph in the API's JSON shape: f = (x * y) + x, so x fans out (used twice).

/** Returns a fresh copy of the fan-out graph. */
export function fanoutGraph() {
  return {
    output: 'n3',
    seed: 'scalar',
    note: null,
    inputs: { x: 'n0', y: 'n1' },
    forward: ['n0', 'n1', 'n2', 'n3'],
    backward: ['n3', 'n2', 'n1', 'n0'],
    groups: {},
    nodes: [
      { id: 'n0', op: 'input', kind: 'input', label: 'x', name: 'x', inputs: [], shape: [], value: 3, grad: -3 },
      { id: 'n1', op: 'input', kind: 'input', label: 'y', name: 'y', inputs: [], shape: [], value: -4, grad: 3 },
      { id: 'n2', op: 'mul', kind: 'op', label: '×', name: 'q', inputs: ['n0', 'n1'], shape: [], value: -12, grad: 1 },
      { id: 'n3', op: 'add', kind: 'op', label: '+', name: 'f', inputs: ['n2', 'n0'], shape: [], value: -9, grad: 1 },
    ],
    edges: [
      { id: 'n2:0', source: 'n0', target: 'n2', port: 0, formula: 'b', formula_tex: 'b', local: -4, contribution: -4, differentiable: true },
      { id: 'n2:1', source: 'n1', target: 'n2', port: 1, formula: 'a', formula_tex: 'a', local: 3, contribution: 3, differentiable: true },
      { id: 'n3:0', source: 'n2', target: 'n3', port: 0, formula: '1', formula_tex: '1', local: 1, contribution: 1, differentiable: true },
      { id: 'n3:1', source: 'n0', target: 'n3', port: 1, formula: '1', formula_tex: '1', local: 1, contribution: 1, differentiable: true },
    ],
  };
}

/** The same program with a composite group: s = sigmoid(x) expanded into n1.0 .. n1. */
export function groupedGraph() {
  const node = (id, kind, label, extra = {}) => ({ id, op: kind === 'op' ? label : kind, kind, label, name: null, inputs: [], shape: [], value: 0.5, grad: 0.25, group: 'n1', ...extra });
  return {
    output: 'n1',
    inputs: { x: 'n0' },
    forward: ['n0', 'n1.0', 'n1.1', 'n1'],
    backward: ['n1', 'n1.1', 'n1.0', 'n0'],
    groups: { n1: { op: 'sigmoid', nodes: ['n1.0', 'n1.1', 'n1'], inputs: ['n0'] } },
    nodes: [
      node('n0', 'input', 'x', { name: 'x', group: null }),
      node('n1.0', 'op', '−'),
      node('n1.1', 'op', 'exp'),
      node('n1', 'op', '÷', { name: 's' }),
    ],
    edges: [
      { id: 'n1.0:0', source: 'n0', target: 'n1.0', port: 0, local: -1, contribution: -0.25 },
      { id: 'n1.1:0', source: 'n1.0', target: 'n1.1', port: 0, local: 1, contribution: 0.25 },
      { id: 'n1:0', source: 'n1.1', target: 'n1', port: 0, local: 1, contribution: 0.25 },
    ],
  };
}
