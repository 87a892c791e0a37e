#!/usr/bin/env python3
"""Validate a tree made by gen_fixture.py: the source maps are real, not filler.

    python3 bench/check_fixture.py DIR

For every JS file (.js/.mjs/.cjs): its last `//# sourceMappingURL=` names an existing
map.  For every map: the JSON parses; every `mappings` segment decodes as base64 VLQ
with 1, 4 or 5 fields; generated positions lie inside the JS file's lines; source,
line and column lie inside `sourcesContent`; a named segment points at that name in
the original text.  Exit 0 when all holds, 1 with the first problems otherwise.
"""
import json
import os
import sys

B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def decode_segment(text):
    """Base64-VLQ fields of one segment; ValueError when malformed."""
    fields, value, shift = [], 0, 0
    for ch in text:
        digit = B64.get(ch)
        if digit is None:
            raise ValueError("bad base64 character %r" % ch)
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        fields.append(-(value >> 1) if value & 1 else value >> 1)
        value, shift = 0, 0
    if shift:
        raise ValueError("truncated VLQ in %r" % text)
    return fields


def check_map(map_path, js_lines):
    """Return (segment count, list of problems) for one map."""
    with open(map_path, encoding="utf-8") as f:
        sm = json.load(f)
    problems = []
    sources, contents, names = sm["sources"], sm["sourcesContent"], sm["names"]
    if len(sources) != len(contents):
        problems.append("sources/sourcesContent lengths differ")
    src_lines = [c.split("\n") for c in contents]
    src = oline = ocol = name = 0
    count = 0
    for gline, line in enumerate(sm["mappings"].split(";")):
        gcol = 0
        if line and gline >= len(js_lines):
            problems.append("mappings for line %d, JS has %d lines" % (gline, len(js_lines)))
            break
        for seg in line.split(",") if line else ():
            count += 1
            f = decode_segment(seg)
            if len(f) not in (1, 4, 5):
                problems.append("segment %r has %d fields" % (seg, len(f)))
                continue
            gcol += f[0]
            if not 0 <= gcol < len(js_lines[gline]):
                problems.append("generated %d:%d outside the JS line" % (gline, gcol))
            if len(f) == 1:
                continue
            src, oline, ocol = src + f[1], oline + f[2], ocol + f[3]
            if not (0 <= src < len(src_lines) and 0 <= oline < len(src_lines[src])
                    and 0 <= ocol < len(src_lines[src][oline])):
                problems.append("segment %r -> source %d %d:%d out of range" % (seg, src, oline, ocol))
                continue
            if len(f) == 5:
                name += f[4]
                if not 0 <= name < len(names):
                    problems.append("name index %d out of range" % name)
                elif not src_lines[src][oline].startswith(names[name], ocol):
                    problems.append("name %r not at %s %d:%d" % (names[name], sources[src], oline, ocol))
        if len(problems) > 20:
            break
    return count, problems


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[0]
    js_files = maps = segments = 0
    bad = []
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith((".js", ".mjs", ".cjs")):
                continue
            js_files += 1
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as f:
                js = f.read()
            ref = js.rsplit("//# sourceMappingURL=", 1)
            if len(ref) != 2:
                bad.append("%s: no sourceMappingURL" % path)
                continue
            map_path = os.path.join(dirpath, ref[1].strip())
            if not os.path.isfile(map_path):
                bad.append("%s: map %s missing" % (path, map_path))
                continue
            try:
                n, problems = check_map(map_path, js.split("\n"))
            except (ValueError, KeyError) as e:
                n, problems = 0, ["cannot read: %s" % e]
            maps += 1
            segments += n
            bad += ["%s: %s" % (map_path, p) for p in problems]
    if js_files == 0:
        bad.append("no JS files under %s" % root)
    for line in bad[:40]:
        print("FAIL", line)
    print("%s: %d JS files, %d maps, %d segments checked, %d problems"
          % (root, js_files, maps, segments, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
