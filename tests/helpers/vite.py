"""The checked-in Vite + React build (tests/conformance/fixtures/vite-react-dist) and
positions in it that tests resolve back to examples/vite-react/src."""
import json
import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "conformance" / "fixtures" / "vite-react-dist"
JS = "assets/index-rJfmT7nG.js"


def throw_position(dist=FIXTURE):
    """(line, column), 1-based as browsers report them, of `throw Error(` in checkout()
    in the minified file of `dist`, found from its text so that injection (which moves
    the code) and a rebuilt fixture keep working. It maps back to src/checkout.js line 8
    (see examples/vite-react/src/checkout.js)."""
    for number, line in enumerate((dist / JS).read_text().split("\n"), start=1):
        at = line.find("checkout failed")
        if at >= 0:
            return number, line.rfind("throw", 0, at) + 1
    raise AssertionError("the fixture has no checkout() throw")


def copy_dist(dest):
    """A private copy of the Vite build that tests may inject into or break."""
    shutil.copytree(FIXTURE, dest)
    return Path(dest)


def source(suffix):
    """The map's `sources` entry that ends with `suffix` ("src/checkout.js"), as
    resolve prints it (the paths depend on where the fixture was built)."""
    sources = json.loads((FIXTURE / (JS + ".map")).read_text())["sources"]
    [found] = [s for s in sources if s.endswith("/" + suffix)]
    return found
