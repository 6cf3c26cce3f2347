"""User-defined functions in the staged code: a forward and a backward Python function per def.

As the CS231n notes write layers: `out, cache = layer(x, W, b)` forward, and
`dx, dW, db = layer_backward(dout, cache)` backward. A def whose calls differ in shapes (so in the
sums that undo broadcasting) gets one version per distinct text: layer, layer_2, …
"""

from __future__ import annotations

from .codelines import Names, backward_lines, forward_lines, num

_NAME = "@fn@"  # the function's name in a version's text until its name is chosen


def call_starts(graph, index: dict) -> dict[int, list]:
    """First node -> (last node, group id) of the calls that start there, the outermost first."""
    starts: dict[int, list] = {}
    for gid, grp in graph.groups.items():
        if grp.get("function"):
            starts.setdefault(index[grp["nodes"][0]], []).append((index[grp["nodes"][-1]], gid))
    for spans in starts.values():
        spans.sort(reverse=True)
    return starts


def scope_items(starts: dict, lo: int, hi: int, own: str | None = None) -> list:
    """Nodes lo..hi as ("node", i), and ("call", group id) for each call directly in that scope."""
    out, i = [], lo
    while i <= hi:
        span = next(((last, gid) for last, gid in starts.get(i, ()) if gid != own and last <= hi), None)
        if span is None:
            out.append(("node", i))
            i += 1
        else:
            out.append(("call", span[1]))
            i = span[0] + 1
    return out


class Calls:
    """The program's call groups as scopes, and the Python functions written for them."""

    def __init__(self, graph, need: list, names):
        self.graph, self.need, self.names = graph, need, names
        self.index = {key: i for i, key in enumerate(graph.keys)} if graph.functions else {}
        self.starts = call_starts(graph, self.index)
        self.reserved = set(graph.functions) | {f"{f}_backward" for f in graph.functions}
        names.taken |= self.reserved
        self.texts: dict[str, str] = {}  # a version's text -> its name
        self.slot: dict[str, int] = {}  # a version's text -> its place in versions
        # Per version, per line of its text: the (node id, phase) pairs of every call it serves.
        self.inner: list[list[list[tuple[str, str]]]] = []
        self.count: dict[str, int] = {}  # def -> how many versions of it were written
        self.versions: list[str] = []  # the functions' texts, in the order they are first used
        self.used: dict[str, tuple] = {}  # group id -> (function, cache name, returns per param, call)

    def items(self, lo: int, hi: int, own: str | None = None) -> list:
        """The scope lo..hi as ("node", i) and ("call", group id) for the calls directly in it."""
        return scope_items(self.starts, lo, hi, own)

    def call_line(self, gid: str, var, names) -> str:
        """`h, h_cache = layer(X, W1, b1)`: the call's output and what its backward needs."""
        g, grp = self.graph, self.graph.groups[gid]
        out = self.index[grp["output"]]
        fname, returns = self._version(gid)
        var[out] = names.new(g.names[out] or f"{grp['op']}{out}")
        cache = names.new(f"{var[out]}_cache")
        call = f"{fname}({', '.join(self._arg(j, var) for j in self._args(gid))})"
        self.used[gid] = fname, cache, returns, call
        return f"{var[out]}, {cache} = {call}"

    def _args(self, gid: str) -> list[int]:
        return [self.index[k] for k in self.graph.groups[gid]["inputs"]]

    def _arg(self, j: int, var) -> str:
        """An argument: a variable, or a number as NumPy (1/0 is inf inside the function too)."""
        v = self.graph.values[j]
        if self.graph.kinds[j] == "const" and type(v) is float:
            return f"np.float64({num(v, False)})"
        return var[j]

    def backward_call(self, gid: str, var, dvar: dict, names, back: list) -> None:
        """`dX, dW1, db1 = layer_backward(dh, h_cache)`, with += where a gradient already has a part."""
        out = self.index[self.graph.groups[gid]["output"]]
        if out not in dvar or not self.need[out]:
            return
        fname, cache, returns, call = self.used[gid]
        targets, later = [], []
        for j, ret in zip(self._args(gid), returns):
            if not ret:
                targets.append("_")
            elif j not in dvar:
                dvar[j] = names.new("d" + var[j])
                targets.append(dvar[j])
            else:
                part = names.new("d" + var[j])
                targets.append(part)
                later.append(f"{dvar[j]} += {part}")
        back.append(f"# backprop {var[out]} = {call}")
        back.append(f"{', '.join(targets)}{',' if len(targets) == 1 else ''} = "
                    f"{fname}_backward({dvar[out]}, {cache})")
        back.extend(later)

    def _version(self, gid: str) -> tuple[str, list]:
        """The name of the function written for this call (a new version if its text is new)."""
        text, returns, owners = self._text(gid)
        if text not in self.texts:
            op = self.graph.groups[gid]["op"]
            count = self.count[op] = self.count.get(op, 0) + 1
            name = op if count == 1 else self.names.new(f"{op}_{count}")
            self.reserved |= {name, f"{name}_backward"}
            self.names.taken |= self.reserved
            self.texts[text], self.slot[text] = name, len(self.versions)
            self.versions.append(text.replace(_NAME, name))
            self.inner.append([[] for _ in owners])
        for pairs, own in zip(self.inner[self.slot[text]], owners):
            if own is not None:
                pairs.append(own)
        return self.texts[text], returns

    def _text(self, gid: str) -> tuple[str, list, list]:
        """A call's forward and backward functions, named _NAME; which parameters get a gradient; per
        line of the text, None or the (node id, phase) of this call's node the line belongs to."""
        g, grp = self.graph, self.graph.groups[gid]
        names = Names()
        names.taken |= self.reserved  # locals never hide a function
        var, rhs = {}, {}
        params = [names.new(p) for p in g.functions[grp["op"]]["params"]]
        for p, j in zip(params, self._args(gid)):
            var.setdefault(j, p)  # one value passed twice is read through its first parameter
        lo, hi = self.index[grp["nodes"][0]], self.index[grp["nodes"][-1]]
        items, lines, fwd = self.items(lo, hi, gid), [], []
        forward_lines(g, items, var, names, rhs, self, lines, lines, {"input": fwd, "forward": fwd}, lo,
                      self.index[grp["output"]])
        out = self.index[grp["output"]]
        nested = [self.used[gid][1] for what, gid in items if what == "call"]  # their caches
        kept = list(dict.fromkeys([v for v in var.values() if v.isidentifier()] + nested))
        cache = ", ".join(kept) + ("," if len(kept) == 1 else "")
        text = [f"def {_NAME}({', '.join(params)}):",
                f'    """{grp["op"]} (def, line {g.functions[grp["op"]]["line"]}): its value, and the cache '
                f'{_NAME}_backward reads."""', *[f"    {line}" for line in lines],
                f"    return {var[out]}, ({cache})", "", ""]
        here = {i for what, i in items if what == "call"}  # the calls directly in this body
        owners = [None, None, *_owned(lines, fwd, "forward", here), None, None, None]
        returns = [False] * len(params)
        if self.need[out]:
            dvar, back, bwd = {out: names.new("dout")}, [], []
            backward_lines(g, items, self.need, var, dvar, names, rhs, self, back, bwd)
            grads = []
            for k, j in enumerate(self._args(gid)):
                returns[k] = var.get(j) == params[k] and j in dvar and self.need[j]
                grads.append(dvar[j] if returns[k] else "None")
            text += [f"def {_NAME}_backward({dvar[out]}, cache):",
                     f'    """The gradients of {grp["op"]}\'s parameters, given its output\'s gradient."""',
                     f"    {cache} = cache", *[f"    {line}" for line in back],
                     f"    return {', '.join(grads)}{',' if len(grads) == 1 else ''}", "", ""]
            owners += [None, None, None, *_owned(back, bwd, "backward", here), None, None, None]
        return "\n".join(text), returns, owners


def _owned(lines: list[str], keys: list[str], phase: str, calls: set) -> list:
    """(node id, phase) per line of text the lines make (a line may hold newlines); a call's lines
    have the phase call_forward or call_backward (the call's id is also its output's, whose own
    lines are in the callee's function)."""
    return [(key, f"call_{phase}" if key in calls else phase)
            for line, key in zip(lines, keys) for _ in range(line.count("\n") + 1)]
