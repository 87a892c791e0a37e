#!/usr/bin/env python3
"""Deterministic generator of a Vite/Rollup-like `dist/` tree for benchmarks.

    python3 bench/gen_fixture.py --size 20MB --out /tmp/dist [--seed 1]

Every JS file has an external `.map` whose `mappings` are real base64-VLQ segments:
each mapped token of the minified output points at the position of the same token in
one of the map's `sourcesContent` entries, and named segments point at the original
identifier (see check_fixture.py).

Speed: a pool of a few hundred "modules" (TSX-ish source + minified code + segments) is
built once; output files concatenate module instances.  VLQ fields are deltas, so all
but two segments of a module are position-independent and are encoded once per module;
only the first segment and the first named segment are re-encoded per instance.
Files are written one at a time, so memory stays bounded by the largest file.
"""
import argparse
import base64
import hashlib
import json
import math
import os
import random
import re
import sys
import time

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
GENERATOR_VERSION = 1  # bump when the output changes, so cached fixtures are rebuilt
MAX_FILE_MAP = 8 << 20  # cap on one map's size: keeps the generator's memory small


def vlq(n):
    """One base64-VLQ field."""
    v = ((-n) << 1) | 1 if n < 0 else n << 1
    out = ""
    while True:
        digit = v & 31
        v >>= 5
        if v:
            digit |= 32
        out += B64[digit]
        if not v:
            return out


def parse_size(text):
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r (use e.g. 20MB, 200MB, 123456)" % text)
    scale = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2).upper()]
    return int(float(m.group(1)) * scale)


# ----------------------------------------------------------------------------- words
NOUNS = ("user item order cart price label title count value state event node list "
         "entry option filter query result error token session route page panel modal "
         "button field form input message theme locale config cache record payload "
         "invoice product account widget chart series metric report tab row column").split()
VERBS = ("get set load save fetch update render format parse build compute handle "
         "create remove toggle select validate normalize resolve apply merge sort").split()
ADJS = "active current selected visible pending total next prev default raw safe".split()
GLOBALS = ["React", "document", "window", "console", "Math", "JSON", "Object", "Array",
           "Promise", "fetch", "useState", "useEffect", "useMemo", "useCallback"]
TAGS = ["div", "span", "section", "button", "ul", "li", "h2", "p", "label", "input"]
STRINGS = ["loading", "Could not load data", "Résumé", "Übersicht", "éditer", "…more",
           "primary", "is-active", "aria-label", "data-testid", "/api/v1/items",
           "Enter a value", "Total: ", "Saved", "Retry", "application/json"]
RESERVED = {"do", "if", "in", "for", "let", "new", "try", "var", "int", "NaN"}


def cap(w):
    return w[:1].upper() + w[1:]


def short_names():
    """a, b, ..., Z, aa, ab, ... minus reserved words: what a minifier renames to."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = 0
    while True:
        k, name = n, ""
        while True:
            name = letters[k % 52] + name
            k = k // 52 - 1
            if k < 0:
                break
        n += 1
        if name not in RESERVED:
            yield name


# ----------------------------------------------------------------------------- modules
class Module:
    """Source text + minified code + segments (gen col, orig line, orig col, local name)."""

    def __init__(self, rng):
        self.rng = rng
        self.lines, self.cur = [], ""
        self.mini = []        # minified tokens: (text, anchor or None)
        self.names = []       # original identifiers used in named segments
        self.name_idx = {}
        self.scope = []       # (original name, minified name) of declared locals
        self.short = short_names()
        self.indent = 0

    # -- writing primitives: source text and minified output together
    def w(self, src, mini=None, name=None, mapped=True):
        """Write `src` to the source; emit `mini` (default: src) to the output.
        A mapped token gets a segment pointing at where `src` starts."""
        mini = src if mini is None else mini
        anchor = None
        if mapped and mini:
            ni = None
            if name is not None:
                ni = self.name_idx.setdefault(name, len(self.names))
                if ni == len(self.names):
                    self.names.append(name)
            anchor = (len(self.lines), len(self.cur), ni)
        self.cur += src
        if mini:
            self.mini.append((mini, anchor))

    def s(self, src):
        """Source only: whitespace, types, comments."""
        self.cur += src

    def nl(self):
        self.lines.append(self.cur)
        self.cur = "  " * self.indent

    def declare(self, name):
        short = next(self.short)
        self.scope.append((name, short))
        return short

    def ident(self, name, short):
        self.w(name, short, name=name)

    # -- random pieces
    def new_name(self, kind="var"):
        r = self.rng
        if kind == "fn":
            return r.choice(VERBS) + cap(r.choice(NOUNS)) + (cap(r.choice(ADJS)) if r.random() < .3 else "")
        if kind == "type":
            return cap(r.choice(NOUNS)) + cap(r.choice(["Props", "State", "Options", "Info"]))
        return (r.choice(ADJS) + cap(r.choice(NOUNS))) if r.random() < .5 else r.choice(NOUNS) + cap(r.choice(NOUNS))

    def expr(self, depth=0):
        r = self.rng
        choice = r.random()
        if depth > 2 or choice < .2:
            if self.scope and r.random() < .6:
                self.ident(*r.choice(self.scope))
            elif r.random() < .5:
                self.w(str(r.randint(0, 4096)))
            else:
                text = json.dumps(r.choice(STRINGS), ensure_ascii=False)
                self.w(text)
        elif choice < .45:  # call
            if self.scope and r.random() < .5:
                self.ident(*r.choice(self.scope))
            else:
                self.w(r.choice(GLOBALS))
            self.w("(", mapped=False)
            for i in range(r.randint(0, 3)):
                if i:
                    self.w(",", mapped=False)
                    self.s(" ")
                self.expr(depth + 1)
            self.w(")", mapped=False)
        elif choice < .65:  # binary
            self.expr(depth + 1)
            self.s(" ")
            self.w(r.choice(["+", "-", "*", "&&", "||", "===", "??"]), mapped=False)
            self.s(" ")
            self.expr(depth + 1)
        elif choice < .8:  # member access / method call
            if self.scope:
                self.ident(*r.choice(self.scope))
            else:
                self.w(r.choice(GLOBALS))
            self.w(".", mapped=False)
            self.w(r.choice(["map", "filter", "length", "id", "value", "trim", "slice", "join"]))
        elif choice < .9:  # arrow
            name = r.choice(NOUNS)
            self.w("(", mapped=False)
            short = self.declare(name)
            self.ident(name, short)
            self.s(": " + self.new_name("type"))
            self.w(")", mapped=False)
            self.s(" ")
            self.w("=>", mapped=False)
            self.s(" ")
            self.expr(depth + 1)
            self.scope.pop()
        else:  # JSX element -> h("tag", {className: ...}, child)
            tag = r.choice(TAGS)
            self.w("<" + tag, 'h("%s",' % tag)
            self.s(" ")
            self.w("className", "{className:")
            self.w('="x-%s"' % r.choice(NOUNS), '"x-%s"},' % r.choice(NOUNS), mapped=False)
            self.s(">{")
            self.expr(depth + 1)
            self.w("}</%s>" % tag, ")", mapped=False)

    def stmt_const(self):
        name = self.new_name()
        self.w("const")
        self.s(" ")
        short = self.declare(name)
        self.ident(name, short)
        if self.rng.random() < .4:
            self.s(": " + self.rng.choice(["string", "number", "boolean", self.new_name("type")]))
        self.s(" ")
        self.w("=", mapped=False)
        self.s(" ")
        self.expr()
        self.w(";", mapped=False)
        self.nl()

    def stmt_return(self):
        self.w("return")
        self.s(" ")
        self.expr()
        self.w(";", mapped=False)
        self.nl()

    def stmt_if(self):
        self.w("if")
        self.s(" ")
        self.w("(", mapped=False)
        self.expr(1)
        self.w(")", mapped=False)
        self.s(" ")
        self.w("{", mapped=False)
        self.indent += 1
        self.nl()
        for _ in range(self.rng.randint(1, 3)):
            self.stmt_const()
        self.indent -= 1
        self.cur = "  " * self.indent
        self.w("}", mapped=False)
        self.nl()

    def function(self):
        r = self.rng
        name = self.new_name("fn")
        if r.random() < .3:
            name = cap(name)  # a component
        if r.random() < .4:
            self.s("export ")
        self.w("function")
        self.s(" ")
        self.ident(name, self.declare(name))
        depth = len(self.scope)
        self.w("(", mapped=False)
        for i in range(r.randint(0, 3)):
            if i:
                self.w(",", mapped=False)
                self.s(" ")
            pname = r.choice(NOUNS) + (cap(r.choice(NOUNS)) if r.random() < .5 else "")
            self.ident(pname, self.declare(pname))
            self.s(": " + r.choice(["string", "number", self.new_name("type")]))
        self.w(")", mapped=False)
        self.s(" ")
        self.w("{", mapped=False)
        self.indent += 1
        self.nl()
        for _ in range(r.randint(2, 8)):
            r.choice([self.stmt_const, self.stmt_const, self.stmt_if])()
        self.stmt_return()
        self.indent -= 1
        del self.scope[depth:]
        self.cur = ""
        self.w("}", mapped=False)
        self.nl()
        self.nl()

    def interface(self):
        """Types vanish from the output: source-only lines, like real TS."""
        self.s("interface %s {" % self.new_name("type"))
        self.indent += 1
        for _ in range(self.rng.randint(1, 5)):
            self.nl()
            self.s("%s%s: %s;" % (self.rng.choice(NOUNS), "?" if self.rng.random() < .3 else "",
                                  self.rng.choice(["string", "number", "boolean", "string[]"])))
        self.indent -= 1
        self.nl()
        self.s("}")
        self.nl()
        self.nl()

    def build(self, target_chars):
        r = self.rng
        self.s('import { useState, useEffect } from "react";')
        self.nl()
        self.s('import type { %s } from "../types";' % self.new_name("type"))
        self.nl()
        self.nl()
        size = 0
        while size < target_chars:
            r.choice([self.function, self.function, self.function, self.interface, self.stmt_const])()
            size = sum(len(x) + 1 for x in self.lines)
        self.finish()

    def finish(self):
        """Join the minified tokens, place the segments, pre-encode the fixed part."""
        self.text = "\n".join(self.lines) + "\n"
        out, segs, col, prev = [], [], 0, ""
        for text, anchor in self.mini:
            if prev and (prev[-1].isalnum() or prev[-1] in "_$") and (text[0].isalnum() or text[0] in "_$\""):
                out.append(" ")
                col += 1
            if anchor is not None:
                segs.append((col, anchor[0], anchor[1], anchor[2]))
            out.append(text)
            col += len(text)
            prev = text
        self.code = "".join(out)
        self.segs = segs
        self._encode()

    def _encode(self):
        """seg0 and the first named segment depend on what precedes the module in a
        file; everything else is a delta inside the module and is encoded once."""
        segs = self.segs
        named = [i for i, s in enumerate(segs) if s[3] is not None]
        self.first_named = named[0] if named else None
        self.last_named_local = segs[named[-1]][3] if named else None
        rel = [None]
        last_name = segs[0][3]
        for i in range(1, len(segs)):
            g, l, c, n = segs[i]
            pg, pl, pc, _ = segs[i - 1]
            fields = vlq(g - pg) + "A" + vlq(l - pl) + vlq(c - pc)
            if n is not None and last_name is not None:
                fields += vlq(n - last_name)
            if n is not None:
                last_name = n
            rel.append(fields)
        k = self.first_named
        if k is None:
            self.mid, self.kprefix, self.rest = ",".join(rel[1:]), None, ""
        elif k == 0:
            self.mid, self.kprefix, self.rest = "", None, ",".join(rel[1:])
        else:
            self.mid, self.kprefix, self.rest = ",".join(rel[1:k]), rel[k], ",".join(rel[k + 1:])
        self.names_json = ",".join(json.dumps(n) for n in self.names)
        self.last = segs[-1]
        del self.mini, self.lines, self.scope


def build_pool(rng, count):
    pool = []
    for _ in range(count):
        m = Module(rng)
        # mostly small modules, a few large ones, like a real app
        m.build(int(math.exp(rng.uniform(math.log(800), math.log(24000)))))
        pool.append(m)
    return pool


# ----------------------------------------------------------------------------- files
class MapWriter:
    """Accumulates one output file (JS + map) from module instances."""

    def __init__(self, prelude, line_max):
        self.js = [prelude]
        self.maps = []  # mapping string pieces
        lines = prelude.count("\n")
        self.maps.append(";" * lines)
        self.col = len(prelude) - (prelude.rfind("\n") + 1)
        self.line_max = line_max
        self.sources, self.contents, self.names = [], [], []
        self.name_count = 0
        self.first_on_line = True
        self.st = [0, 0, 0, 0, 0]  # previous gen col, source, orig line, orig col, name
        self.map_chars = 0

    def add(self, m, path):
        if self.col > self.line_max:  # start a new generated line now and then
            self.js.append("\n")
            self.maps.append(";")
            self.col, self.st[0], self.first_on_line = 0, 0, True
        st, src = self.st, len(self.sources)
        header = "/** @module %s */\n" % path  # per-instance: sources are not all equal
        self.sources.append(json.dumps(path))
        content = json.dumps(header + m.text, ensure_ascii=False)
        self.contents.append(content)
        base = self.name_count
        if m.names:
            self.names.append(m.names_json)
            self.name_count += len(m.names)
        g, l, c, n = m.segs[0]
        piece = [] if self.first_on_line else [","]
        piece.append(vlq(self.col + g - st[0]) + vlq(src - st[1]) + vlq(l + 1 - st[2]) + vlq(c - st[3]))
        if n is not None:
            piece.append(vlq(base + n - st[4]))
        if m.mid:
            piece += [",", m.mid]
        if m.kprefix is not None:
            piece += [",", m.kprefix, vlq(base + m.segs[m.first_named][3] - st[4])]
        if m.rest:
            piece += [",", m.rest]
        text = "".join(piece)
        self.maps.append(text)
        self.js.append(m.code)
        lg, ll, lc, _ = m.last
        self.st = [self.col + lg, src, ll + 1, lc,
                   base + m.last_named_local if m.last_named_local is not None else st[4]]
        self.col += len(m.code)
        self.first_on_line = False
        self.map_chars += len(text) + len(content) + len(path) + len(m.names_json) + 8

    def write(self, out_dir, rel_js):
        """Write `rel_js` and `rel_js.map`; return (js bytes, map bytes)."""
        base = os.path.basename(rel_js)
        self.js.append("\n//# sourceMappingURL=%s.map\n" % base)
        js = "".join(self.js).encode()
        path = os.path.join(out_dir, rel_js)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(js)
        parts = ['{"version":3,"file":', json.dumps(base), ',"sources":[', ",".join(self.sources),
                 '],"sourcesContent":[', ",".join(self.contents), '],"names":[',
                 ",".join(self.names), '],"mappings":"', "".join(self.maps), '"}']
        size = 0
        with open(path + ".map", "wb") as f:
            for p in parts:
                b = p.encode()
                size += len(b)
                f.write(b)
        return len(js), size


def content_hash(text):
    """Vite-style 8-character file hash."""
    digest = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(digest)[:8].decode().replace("-", "a").replace("_", "b")


PRELUDES = {
    "strict": '"use strict";',
    "license": "/*! @acme/widgets v4.2.1 | (c) 2024 Acme Corp | MIT License */\n",
    "hashbang": "#!/usr/bin/env node\n",
}


def plan_files(rng, total):
    """Yield (stem, folder, extension, prelude, map-size target) per file, forever;
    the caller stops once the written maps reach the total."""
    big = min(MAX_FILE_MAP, max(total // 8, 64 << 10))
    small_max = max(64 << 10, min(2 << 20, total // 20))
    yield "index", "assets", ".js", "", big
    yield "vendor", "assets", ".js", "license", big * 2 // 3
    yield "entry-server", "server", ".cjs", "hashbang", 40 << 10
    yield "polyfills", "assets", ".js", "strict", 30 << 10
    i = 0
    while True:
        size = int(math.exp(rng.uniform(math.log(4 << 10), math.log(small_max))))
        stem = cap(rng.choice(NOUNS)) + cap(rng.choice(NOUNS))
        roll = rng.random()
        folder = ("assets/chunks" if roll < .15 else "assets/pages/admin" if roll < .2 else "assets")
        ext = ".mjs" if i % 40 == 7 else ".cjs" if i % 60 == 13 else ".js"
        yield stem, folder, ext, "", size
        i += 1


def generate(out_dir, total, seed):
    rng = random.Random(seed)
    pool = build_pool(rng, 400)
    os.makedirs(out_dir, exist_ok=True)
    js_total = map_total = files = 0
    for stem, folder, ext, prelude, target in plan_files(rng, total):
        if map_total >= total - (2 << 10):
            break
        target = min(target, total - map_total)
        depth = folder.count("/") + 1
        up = "../" * (depth + 1)
        vendor = stem == "vendor"
        w = MapWriter(PRELUDES.get(prelude, ""), rng.randint(20 << 10, 400 << 10))
        while w.map_chars < target:
            m = rng.choice(pool)
            if vendor:
                path = "%snode_modules/%s/dist/%s.js" % (up, rng.choice(["react-dom", "lodash-es", "dayjs", "zod"]), rng.choice(NOUNS))
            else:
                path = "%ssrc/%s/%s.tsx" % (up, rng.choice(["components", "pages", "hooks", "utils"]), m.names[0] if m.names else "index")
            w.add(m, path)
        name = "%s-%s%s" % (stem, content_hash("".join(w.js)), ext)
        js, mp = w.write(out_dir, folder + "/" + name)
        js_total, map_total, files = js_total + js, map_total + mp, files + 1
    # files every real dist has and which are not JS: tools must skip them
    with open(os.path.join(out_dir, "index.html"), "w") as f:
        f.write('<!doctype html><html><head><script type="module" src="/assets/index.js"></script>'
                '</head><body><div id="root"></div></body></html>\n')
    with open(os.path.join(out_dir, "assets", "index-%s.css" % content_hash(str(seed))), "w") as f:
        f.write("".join(".x-%s{color:#%06x}" % (n, rng.randrange(1 << 24)) for n in NOUNS) + "\n")
    return files, js_total, map_total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=parse_size, default=parse_size("20MB"),
                    help="total bytes of .map files: 20MB, 200MB or a byte count")
    ap.add_argument("--out", required=True, help="output directory (the dist/ root)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    files, js, maps = generate(args.out, args.size, args.seed)
    print("fixture %s: %d JS files, %d bytes of JS, %d bytes of maps (seed %d, %.1fs)"
          % (args.out, files, js, maps, args.seed, time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
