"""A fixture's next build, as a bundler writes it after a few source edits.

`derive(v1, v2, percent, seed)` copies the tree and changes `percent` % of the
JS files (chosen with `seed`): each gets a new content hash in its name, as
Vite and Rollup rename a chunk whose content changed, and its map follows
(new name, `file`, `sourceMappingURL`). The edit keeps the map valid: a line
is added at the end of every original source and a comment after the
generated code, so every mapped position stays where it was. Every other
file keeps its name and bytes.
"""
import hashlib
import json
import os
import random
import re
import shutil

HASHED = re.compile(r"^(.*-)([A-Za-z0-9_]{6,})(\.(?:js|mjs|cjs))$")


def scripts(root):
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if HASHED.match(name) and os.path.exists(os.path.join(folder, name + ".map")):
                found.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(found)


def derive(v1, v2, percent, seed=1):
    """Writes v2; returns [(old relative JS path, new relative JS path)]."""
    shutil.rmtree(v2, ignore_errors=True)
    shutil.copytree(v1, v2)
    candidates = scripts(v2)
    count = max(1, round(len(candidates) * percent / 100))
    renamed = []
    for old in sorted(random.Random(seed).sample(candidates, count)):
        folder, name = os.path.split(old)
        m = HASHED.match(name)
        digest = hashlib.sha256(("v2:" + old).encode()).hexdigest()[:len(m.group(2))]
        new_name = m.group(1) + digest + m.group(3)
        new = os.path.join(folder, new_name)
        rename(v2, old, new, new_name)
        renamed.append((old, new))
    return renamed


def rename(root, old, new, new_name):
    with open(os.path.join(root, old), encoding="utf-8") as f:
        js = f.read()
    with open(os.path.join(root, old + ".map"), encoding="utf-8") as f:
        sourcemap = json.load(f)
    code, sep, _ = js.rpartition("//# sourceMappingURL=")
    assert sep, "no sourceMappingURL in " + old
    js = code + "/* edited */\n//# sourceMappingURL=" + new_name + ".map\n"
    sourcemap["file"] = new_name
    sourcemap["sourcesContent"] = [text + "// edited\n" if text is not None else None
                                   for text in sourcemap.get("sourcesContent", [])]
    os.remove(os.path.join(root, old))
    os.remove(os.path.join(root, old + ".map"))
    with open(os.path.join(root, new), "w", encoding="utf-8") as f:
        f.write(js)
    with open(os.path.join(root, new + ".map"), "w", encoding="utf-8") as f:
        json.dump(sourcemap, f, separators=(",", ":"))
