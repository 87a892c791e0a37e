#!/usr/bin/env python3
"""Checks the uploader's layer order: no folder includes one above it.

Bottom up: util -> config, http, sourcemap, wasm -> discovery, bundle, releases
-> upload, inject, resolve, issues, doctor -> cli -> main.cpp. Each folder
also names the folders it uses (USES): a folder may include only those,
and only ones in a lower layer or, where USES says so, a peer of its own
layer (upload runs inject, doctor runs resolve).

  check_layers.py UPLOADER_DIR           exit 1 and list every backwards include
  check_layers.py UPLOADER_DIR --plant   prove the check works: plant a
                                         backwards include in a copy, expect
                                         it to be reported
"""
import re
import shutil
import sys
import tempfile
from pathlib import Path

LAYERS = [
    ["util"],
    ["config", "http", "sourcemap", "wasm"],
    ["discovery", "bundle", "releases"],
    ["upload", "inject", "resolve", "issues", "doctor"],
    ["cli"],
]
RANK = {folder: rank for rank, folders in enumerate(LAYERS) for folder in folders}
USES = {
    "util": set(),
    "config": {"util"},
    "http": {"util"},
    "sourcemap": {"util"},
    "wasm": {"util"},
    "discovery": {"util", "sourcemap"},
    "bundle": {"util", "sourcemap"},
    "releases": {"util", "config", "http"},
    "upload": {"util", "config", "http", "sourcemap", "wasm", "discovery", "bundle",
               "releases", "inject"},
    "inject": {"util", "sourcemap", "wasm", "discovery"},
    "resolve": {"util", "http", "sourcemap", "wasm", "discovery", "bundle"},
    "issues": {"util", "http"},
    "doctor": {"util", "config", "http", "sourcemap", "discovery", "resolve"},
    "cli": set(RANK) - {"cli"},
}
MAIN_RANK = len(LAYERS)
INCLUDE = re.compile(r'^\s*#\s*include\s+"uploader/([a-z_]+)/', re.MULTILINE)


def rank_of(path: Path, root: Path) -> int | None:
    parts = path.relative_to(root).parts
    if len(parts) == 1:
        return MAIN_RANK if path.name == "main.cpp" else None
    return RANK.get(parts[0])


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        own = rank_of(path, root)
        if own is None:
            if len(path.relative_to(root).parts) > 1:
                found.append(f"{path.relative_to(root)}: folder "
                             f"'{path.relative_to(root).parts[0]}' has no layer; "
                             "add it to LAYERS in tests/layers/check_layers.py")
            continue
        for line_no, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = match.group(1)
            if target not in RANK:
                found.append(f"{path.relative_to(root)}:{line_no}: includes "
                             f"folder '{target}', which has no layer")
            elif RANK[target] > own:
                found.append(f"{path.relative_to(root)}:{line_no}: includes "
                             f"'{target}/' (layer {RANK[target]}) from layer "
                             f"{own}; lower folders never include higher ones")
            elif own < MAIN_RANK and target != path.relative_to(root).parts[0] \
                    and target not in USES[path.relative_to(root).parts[0]]:
                folder = path.relative_to(root).parts[0]
                found.append(f"{path.relative_to(root)}:{line_no}: includes "
                             f"'{target}/', which '{folder}/' does not use "
                             "(USES in tests/layers/check_layers.py); move the "
                             "code to the folder it belongs in")
    return found


def check_declarations() -> list[str]:
    return [f"USES['{folder}'] names '{used}', a higher layer"
            for folder, uses in USES.items() for used in uses
            if RANK[used] > RANK[folder]]


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    if "--plant" in sys.argv[2:]:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / "uploader"
            shutil.copytree(root, copy)
            victim = copy / "util" / "strings.hpp"
            victim.write_text('#include "uploader/upload/plan.hpp"\n' +
                              victim.read_text())
            found = violations(copy)
            if not any("util/strings.hpp:1: includes 'upload/'" in v for v in found):
                print("the planted include util/strings.hpp -> upload/ was not "
                      "reported", file=sys.stderr)
                return 1
            print("\n".join(found))
            print("planted backwards include reported, as it should be")
            return 0
    found = check_declarations() + violations(root)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        return 1
    print(f"layer order holds in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
