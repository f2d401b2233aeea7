#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The core's call graph, read from the object files with nm.

usage: callgraph.py BUILD_DIR

Every object under BUILD_DIR/src/LAYER/ and BUILD_DIR/lib/ is a node; an
undefined symbol of one object that another defines is an edge.  Prints one
line per violation and exits 1 when there is any:

  cycle A B ...      files that call each other, directly or around a loop
  up A -> B: SYM     a call from a lower layer to a higher one
  side A -> B: SYM   a call between analysis/ and output/, which are peers

The layers, lowest first: lib and base, image, decode, then analysis and
output.  src/cli/ is the front end and may call anything.
"""
import collections
import os
import subprocess
import sys

RANK = {"lib": 0, "base": 0, "image": 1, "decode": 2,
        "analysis": 3, "output": 3}


def layer(build, obj):
    rel = os.path.relpath(obj, build).split(os.sep)
    return rel[1] if rel[0] == "src" else rel[0]


def objects(build):
    out = []
    for top in ("src", "lib"):
        for root, _, files in os.walk(os.path.join(build, top)):
            for f in files:
                if f.endswith(".o"):
                    o = os.path.join(root, f)
                    if layer(build, o) in RANK:
                        out.append(o)
    return sorted(out)


def graph(objs):
    defs, uses = {}, collections.defaultdict(set)
    nm = subprocess.run(["nm", "-A"] + objs, capture_output=True,
                        text=True, check=True).stdout
    for line in nm.splitlines():
        # "OBJ:VALUE TYPE NAME", or "OBJ:         U NAME"
        obj, _, rest = line.rpartition(".o:")
        obj += ".o"
        f = rest.split()
        if len(f) == 3 and f[1] in "TDBRC":
            defs[f[2]] = obj
        elif len(f) == 2 and f[0] == "U":
            uses[obj].add(f[1])
    edges = collections.defaultdict(dict)
    for o, syms in uses.items():
        for s in sorted(syms):
            d = defs.get(s)
            if d and d != o:
                edges[o].setdefault(d, s)
    return edges


def cycles(nodes, edges):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    build = sys.argv[1]
    objs = objects(build)
    if not objs:
        print("no object files under %s/src or %s/lib" % (build, build))
        return 2
    edges = graph(objs)
    name = lambda o: os.path.relpath(o, build)
    bad = 0
    for comp in cycles(objs, edges):
        print("cycle " + " ".join(name(o) for o in comp))
        bad += 1
    for o in objs:
        for d, sym in sorted(edges[o].items()):
            lo, ld = layer(build, o), layer(build, d)
            if RANK[ld] > RANK[lo]:
                kind = "up"
            elif RANK[ld] == RANK[lo] and ld != lo and RANK[lo] == 3:
                kind = "side"
            else:
                continue
            print("%s %s -> %s: %s" % (kind, name(o), name(d), sym))
            bad += 1
    print("%d files, %d calls between files, %d violations" %
          (len(objs), sum(len(e) for e in edges.values()), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
