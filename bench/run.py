#!/usr/bin/env python3
"""Benchmark `sentry-sourcemaps` against the official sentry-cli.

    python3 bench/run.py --tool build/test/uploader/sentry-sourcemaps [--sizes 20MB,200MB]

Measures `upload --wait` (cold: fresh stand-in; warm: same fixture again to the same
stand-in; rebuild: a next build with some files changed, to a stand-in that holds the
first), each at full speed and through a modelled uplink, and `inject` (on a fresh
copy of the fixture each time), alternating the tools, and prints a Markdown table of
median wall time, bytes sent and peak RSS.  See README.md.
"""
import argparse
import glob
import io
import os
import platform
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
import gen_fixture  # noqa: E402
import link_proxy  # noqa: E402
import rebuild_fixture  # noqa: E402

FAKE_SENTRY = os.path.join(ROOT, "tests", "fake_sentry", "server.py")
TOKEN = "bench"
ORG, PROJECT, RELEASE = "acme", "web", "bench"
SCLI, OURS = "sentry-cli", "sentry-sourcemaps"
RUN_TIMEOUT = 1800  # seconds; one tool invocation never legitimately takes this long


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("SENTRY_SOURCEMAPS_CACHE") or os.path.join(base, "sentry-sourcemaps")


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- sentry-cli
def install_sentry_cli():
    """npm-install @sentry/cli@3 into the cache (once) and return the wrapper's path."""
    prefix = os.path.join(cache_dir(), "npm-sentry-cli")
    wrapper = os.path.join(prefix, "node_modules", ".bin", "sentry-cli")
    if not os.path.exists(wrapper):
        log("installing @sentry/cli@3 into %s" % prefix)
        os.makedirs(prefix, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                        "@sentry/cli@3"], check=True, stdout=sys.stderr)
    return wrapper


def is_script(path):
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


def native_sentry_cli(path):
    """The native binary behind the npm wrapper, so node's own RSS is not counted."""
    path = os.path.realpath(path)
    if not is_script(path):
        return path
    # Ask the wrapper's own resolution (helper.getPath) first, then look for the
    # platform package next to the wrapper's package.
    pkg = os.path.dirname(os.path.dirname(path))  # .../node_modules/@sentry/cli
    helper = os.path.join(pkg, "js", "helper.js")
    if os.path.exists(helper) and shutil.which("node"):
        res = subprocess.run(["node", "-e", "process.stdout.write(require(process.argv[1]).getPath())",
                              helper], capture_output=True, text=True)
        if res.returncode == 0 and os.path.isfile(res.stdout) and not is_script(res.stdout):
            return res.stdout
    arch = {"x86_64": "x64", "aarch64": "arm64", "i686": "i686"}.get(platform.machine(), platform.machine())
    for cand in [os.path.join(os.path.dirname(pkg), "cli-linux-%s" % arch, "bin", "sentry-cli")] + \
            glob.glob(os.path.join(os.path.dirname(pkg), "cli-*", "bin", "sentry-cli")):
        if os.path.isfile(cand):
            return cand
    sys.exit("cannot find the native sentry-cli binary behind %s" % path)


# ----------------------------------------------------------------------------- stand-in
class StandIn:
    """tests/fake_sentry as a subprocess on 127.0.0.1, stopped in bounded time."""

    def __init__(self, public_url=None):
        cmd = [sys.executable, FAKE_SENTRY, "--host", "127.0.0.1", "--port", "0",
               "--token", "%s=project:releases,org:read" % TOKEN, "--org", "%s=%s" % (ORG, PROJECT)]
        if public_url:  # the chunk-upload URL it hands out (the link proxy)
            cmd += ["--chunk-url", public_url]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        self.url = self._read_url(timeout=30)

    def _read_url(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("FAKE_SENTRY_URL="):
                    return line.strip().split("=", 1)[1]
                if not line:
                    break
        self.stop()
        sys.exit("the Sentry stand-in did not start (%s)" % FAKE_SENTRY)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ----------------------------------------------------------------------------- measuring
def tool_env(home, url):
    """Identical environment for both tools: no user config, no proxies, no dotenv."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SENTRY_") and not k.lower().endswith("_proxy")}
    env.update(HOME=home, SENTRY_URL=url or "http://127.0.0.1:9", SENTRY_AUTH_TOKEN=TOKEN,
               SENTRY_LOAD_DOTENV="0", SENTRY_DISABLE_UPDATE_CHECK="1", NO_PROXY="127.0.0.1,localhost")
    return env


# Peak RSS comes from wait4's ru_maxrss.  At exec the kernel folds the RSS high-water
# mark of the exec-ing process's old memory into ru_maxrss, so a tool forked straight
# from this (large) Python process would report at least our own RSS.  A minimal
# `python3 -S` spawner forks the tool instead: its floor is a few MiB (printed in the
# report), and since ru_maxrss is a maximum, any tool above the floor is measured
# exactly.  The spawner also times fork-to-exit, so interpreter start-up is excluded.
SPAWNER = """
import os, sys, time
fd = int(sys.argv[1])
os.set_inheritable(fd, False)
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
os.write(fd, b"%f %d %d" % (wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status)))
"""


def measure(cmd, env, cwd):
    """Run cmd; return (wall seconds, peak RSS MiB, exit code, output tail)."""
    rfd, wfd = os.pipe()
    with tempfile.TemporaryFile() as out, os.fdopen(rfd, "rb") as result:
        proc = subprocess.Popen([sys.executable, "-S", "-c", SPAWNER, str(wfd)] + cmd, env=env, cwd=cwd,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=out, pass_fds=(wfd,),
                                start_new_session=True)
        os.close(wfd)
        try:
            proc.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the spawner and the tool
            proc.wait()
        fields = result.read().split()
        out.seek(0)
        tail = out.read().decode(errors="replace")[-2000:]
    if len(fields) != 3:
        return 0.0, 0.0, proc.returncode or -1, tail + "\n(timed out or spawner failed)"
    return float(fields[0]), int(fields[1]) / 1024.0, int(fields[2]), tail


OPERATIONS = ["upload cold", "upload warm", "rebuild", "inject"]


class Results:
    def __init__(self):
        # (operation, size, link, tool) -> [(wall, rss, bytes sent or None)] or a reason
        self.samples = {}

    def add(self, key, value):
        if isinstance(value, str):
            self.samples[key] = value
        elif not isinstance(self.samples.get(key), str):
            self.samples.setdefault(key, []).append(value)

    def median(self, key):
        s = self.samples.get(key)
        if not isinstance(s, list):
            return None
        sent = [b for _, _, b in s if b is not None]
        return (statistics.median(w for w, _, _ in s), statistics.median(r for _, r, _ in s),
                statistics.median(sent) if sent else None)

    def rows(self):
        """(operation, size, link) in report order."""
        sizes = list(dict.fromkeys(k[1] for k in self.samples))
        links = list(dict.fromkeys(k[2] for k in self.samples))
        rows = dict.fromkeys(k[:3] for k in self.samples)
        return sorted(rows, key=lambda r: (sizes.index(r[1]), OPERATIONS.index(r[0]),
                                           links.index(r[2])))

    def table(self):
        out = ["| operation | size | link | wall s sentry-cli | wall s ours | ratio "
               "| MB sent sentry-cli | MB sent ours | ratio | RSS MiB sentry-cli | RSS MiB ours "
               "| ratio |",
               "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for row in self.rows():
            base, ours = self.median(row + (SCLI,)), self.median(row + (OURS,))
            cells = list(row)
            for i, fmt in ((0, "%.2f"), (2, "%.1f"), (1, "%.0f")):
                scale = 1e6 if i == 2 else 1
                values = [m[i] / scale if m and m[i] is not None else None for m in (base, ours)]
                cells += [fmt % v if v is not None else self._why(row, t)
                          for v, t in zip(values, (SCLI, OURS))]
                cells.append("%.2f×" % (values[1] / values[0])
                             if None not in values and values[0] else "")
            out.append("| " + " | ".join(cells) + " |")
        return "\n".join(out) + "\n"

    def _why(self, row, tool):
        s = self.samples.get(row + (tool,))
        return s if isinstance(s, str) else "-"

    def raw(self):
        lines = []
        for row in self.rows():
            for tool in (SCLI, OURS):
                s = self.samples.get(row + (tool,))
                if isinstance(s, list):
                    lines.append("- %s %s %s %s: %s" % (row + (tool, ", ".join(
                        "%.2fs/%.0fMiB%s" % (w, r, "" if b is None else "/%.1fMB" % (b / 1e6))
                        for w, r, b in s))))
        return "\n".join(lines) + "\n"


class LinkedStandIn:
    """A fresh stand-in behind the link a tool's requests take: `full` (counted,
    not paced) or N Mbit/s. The stand-in hands out the proxy's address as the
    chunk-upload URL, so chunks take the link too."""

    def __init__(self, link):
        self.proxy = link_proxy.LinkProxy(None if link == "full" else float(link))
        self.server = StandIn(self.proxy.url)
        self.proxy.forward_to(self.server.url)

    def __enter__(self):
        return self.proxy

    def __exit__(self, *exc):
        self.server.stop()
        self.proxy.close()


def rebuild_target(ours, v2, renamed, work):
    """The issue's yardstick for a rebuild: the bytes of our v2 bundle's
    changed entries (JS and map) plus the manifest, central directory and end
    record. Returns (bytes, bundle bytes)."""
    out = os.path.join(work, "v2.bundle")
    subprocess.run([ours, "upload", "--dry-run", "--no-cache", "--bundle-out", out, "-o", ORG,
                    "-p", PROJECT, "--release", "bench-v2", v2], check=True,
                   capture_output=True, env=tool_env(os.path.join(work, "home"), None))
    with open(out, "rb") as f:
        raw = f.read()
    infos = sorted(zipfile.ZipFile(io.BytesIO(raw[8:])).infolist(), key=lambda i: i.header_offset)
    starts = [8 + i.header_offset for i in infos] + [len(raw)]
    changed = {new.replace(os.sep, "/") for _, new in renamed}
    total = 0
    for k, info in enumerate(infos):
        name = info.filename
        if name == "manifest.json" or any(name.endswith("/" + c) or name.endswith("/" + c + ".map")
                                          for c in changed):
            total += starts[k + 1] - starts[k]
    return total, len(raw)


# ----------------------------------------------------------------------------- benchmark
class Bench:
    def __init__(self, args, scli, ours):
        self.args, self.results = args, Results()
        self.tools = {SCLI: scli, OURS: ours}
        self.work = tempfile.mkdtemp(prefix="sentry-sourcemaps-bench-")
        self.home = os.path.join(self.work, "home")  # empty HOME: no ~/.sentryclirc
        self.cwd = os.path.join(self.work, "cwd")  # no .sentryclirc/.env above it
        os.makedirs(self.home)
        os.makedirs(self.cwd)
        self.supported = {}

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def command(self, tool, sub, path, release=RELEASE):
        if sub == "upload":
            args = ["upload", "--wait", "-o", ORG, "-p", PROJECT, "--release", release, path]
        else:
            args = ["inject", path]
        if tool == SCLI:
            return [self.tools[tool], "sourcemaps"] + args
        extra = self.args.our_args.split() if sub == "upload" else []
        return [self.tools[tool]] + args[:1] + extra + args[1:]

    def available(self, tool, sub):
        """Does the tool have this subcommand?  Probed once with --help."""
        if (tool, sub) not in self.supported:
            ok = self.tools[tool] is not None
            if ok:
                prefix = [self.tools[tool]] + (["sourcemaps"] if tool == SCLI else [])
                cmd = prefix + [sub, "--help"]
                res = subprocess.run(cmd, capture_output=True, env=tool_env(self.home, None), cwd=self.cwd)
                ok = res.returncode == 0
            self.supported[(tool, sub)] = ok
            if not ok:
                why = "no --tool given" if self.tools[tool] is None else "no `%s` subcommand" % sub
                log("%s: %s (n/a)" % (tool, why))
        return self.supported[(tool, sub)]

    def order(self, rep):
        """Alternate which tool goes first, so neither always gets the warmer machine."""
        return [SCLI, OURS] if rep % 2 == 0 else [OURS, SCLI]

    def run(self, key, tool, cmd, env, proxy=None):
        if proxy:
            proxy.take_count()
        wall, rss, code, tail = measure(cmd, env, self.cwd)
        sent = proxy.take_count() if proxy else None
        if code != 0:
            log("%s failed (exit %d): %s\n%s" % (tool, code, " ".join(cmd), tail))
            self.results.add(key, "failed (exit %d)" % code)
            return False
        log("%-12s %-6s %-5s %-18s %7.2fs %6.0f MiB%s" % (
            key[0], key[1], key[2], tool, wall, rss,
            "" if sent is None else " %8.1f MB sent" % (sent / 1e6)))
        self.results.add(key + (tool,), (wall, rss, sent))
        return True

    def fresh_cache(self, name):
        """An empty cache of ours: no local state helps a cold or rebuild run."""
        cache = os.path.join(self.work, "cache-" + name)
        shutil.rmtree(cache, ignore_errors=True)
        return cache

    def upload(self, size, fixture):
        for link in self.args.links:
            for rep in range(self.args.repeat):
                for tool in self.order(rep):
                    cold, warm = ("upload cold", size, link), ("upload warm", size, link)
                    if not self.available(tool, "upload"):
                        self.results.add(cold + (tool,), "n/a")
                        self.results.add(warm + (tool,), "n/a")
                        continue
                    # A fresh, empty stand-in and an empty cache of ours: a cold
                    # upload; the warm one follows with both as the cold one left them.
                    with LinkedStandIn(link) as proxy:
                        env = tool_env(self.home, proxy.url)
                        env["SENTRY_SOURCEMAPS_CACHE"] = self.fresh_cache("%d-%s" % (rep, size))
                        cmd = self.command(tool, "upload", fixture)
                        if self.run(cold, tool, cmd, env, proxy):
                            self.run(warm, tool, cmd, env, proxy)

    def rebuild(self, size, v1, v2):
        """v1 uploaded first (not measured), then v2 under a new release."""
        for link in self.args.links:
            for rep in range(self.args.repeat):
                for tool in self.order(rep):
                    key = ("rebuild", size, link)
                    if not self.available(tool, "upload"):
                        self.results.add(key + (tool,), "n/a")
                        continue
                    with LinkedStandIn(link) as proxy:
                        env = tool_env(self.home, proxy.url)
                        env["SENTRY_SOURCEMAPS_CACHE"] = self.fresh_cache("v1")
                        first = measure(self.command(tool, "upload", v1, "bench-v1"), env, self.cwd)
                        if first[2] != 0:
                            log("%s: uploading v1 failed:\n%s" % (tool, first[3]))
                            self.results.add(key + (tool,), "failed (v1)")
                            continue
                        env["SENTRY_SOURCEMAPS_CACHE"] = self.fresh_cache("v2")
                        self.run(key, tool, self.command(tool, "upload", v2, "bench-v2"), env,
                                 proxy)

    def inject(self, size, fixture):
        for rep in range(self.args.repeat):
            for tool in self.order(rep):
                key = ("inject", size, "-")
                if not self.available(tool, "inject"):
                    self.results.add(key + (tool,), "n/a")
                    continue
                # A new copy for each run, all removed only at the end: on
                # ext4 without a journal the kernel skips inodes freed in the
                # last minutes one by one when it creates a file, so deleting
                # the previous 250 MB copy right before a run would charge
                # the bench's own housekeeping to the tool that creates files
                # (ours writes replacements; sentry-cli overwrites in place).
                copy = os.path.join(self.work, "inject-%s-%d-%s" % (size, rep, tool))
                shutil.copytree(fixture, copy)  # not timed
                # Flush the copy's dirty pages now, so that a tool that syncs
                # what it writes (ours does) does not pay for the copy too.
                os.sync()
                warm_page_cache(copy)
                if self.run(key, tool, self.command(tool, "inject", copy), tool_env(self.home, None)):
                    check_injected(copy, tool)


def check_injected(tree, tool):
    """Cheap sanity check that inject really did something."""
    for path in sorted(glob.glob(os.path.join(tree, "assets", "index-*.js"))):
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 200))
            if b"//# debugId=" not in f.read():
                log("WARNING: %s did not get a debugId comment from %s" % (path, tool))


def warm_page_cache(tree):
    """Read every file once so the first measured tool does not pay for disk reads."""
    for dirpath, _, files in os.walk(tree):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def journal_less_ext4(path):
    """True if `path` is on ext4 without a journal (no /proc/fs/jbd2 entry).

    There, creating a file skips every inode freed in the last minutes one
    by one, so inject (a temporary file per output) slows down after large
    deletions; the report says so, to read its figures right."""
    path = os.path.realpath(path)
    best = None
    try:
        with open("/proc/mounts") as f:
            for line in f:
                device, mount, kind = line.split()[:3]
                if (path == mount or path.startswith(mount.rstrip("/") + "/")) and \
                        (best is None or len(mount) > len(best[1])):
                    best = (device, mount, kind)
    except OSError:
        return False
    if best is None or best[2] != "ext4":
        return False
    name = os.path.basename(os.path.realpath(best[0]))
    journals = os.listdir("/proc/fs/jbd2") if os.path.isdir("/proc/fs/jbd2") else []
    return not any(j.startswith(name + "-") for j in journals)


def ensure_fixture(fixture_dir, label, seed):
    """Generate once per (size, seed, generator version); reuse afterwards."""
    name = "dist-%s-seed%d-v%d" % (label, seed, gen_fixture.GENERATOR_VERSION)
    path = os.path.join(fixture_dir, name)
    done = path + ".done"  # outside the tree, so the tools never see it
    if not os.path.exists(done):
        shutil.rmtree(path, ignore_errors=True)
        log("generating %s" % path)
        files, js, maps = gen_fixture.generate(path, gen_fixture.parse_size(label), seed)
        with open(done, "w") as f:
            f.write("%d files, %d bytes JS, %d bytes maps\n" % (files, js, maps))
    with open(done) as f:
        log("fixture %s: %s" % (name, f.read().strip()))
    return path


def rebuild_note(results, size, changed_files, target, whole):
    line = ("rebuild %s: %d JS files (and their maps) changed; target = changed entries + "
            "manifest + central directory of our v2 bundle = %.2f MB of %.1f MB"
            % (size, changed_files, target / 1e6, whole / 1e6))
    for link in dict.fromkeys(k[2] for k in results.samples if k[0] == "rebuild"):
        ours = results.median(("rebuild", size, link, OURS))
        if ours and ours[2] is not None:
            line += "; %s: ours sent %.2f MB = %.2f× target" % (link, ours[2] / 1e6, ours[2] / target)
    return line


def link_notes(results, links):
    """For paced cold uploads: how close our wall time is to bytes / rate."""
    notes = []
    for (op, size, link, tool) in results.samples:
        if op != "upload cold" or tool != OURS or link == "full":
            continue
        med = results.median((op, size, link, tool))
        if med and med[2]:
            floor = med[2] / (float(link) * 1e6 / 8)
            notes.append("cold %s at %s Mbit/s: link floor (our bytes / rate) %.2f s; ours %.2f s "
                         "= %.2f× the floor" % (size, link, floor, med[0], med[0] / floor))
    return notes


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", help="path to the built sentry-sourcemaps (omit: sentry-cli only)")
    ap.add_argument("--sentry-cli", help="sentry-cli to compare with (default: npm-install @sentry/cli@3 "
                    "into the cache)")
    ap.add_argument("--sizes", default="20MB,200MB", help="comma-separated total map sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="upload,rebuild,inject",
                    help="comma-separated: upload, rebuild, inject")
    ap.add_argument("--link-mbit", default="full,100",
                    help="comma-separated uplinks: full (no pacing) or Mbit/s")
    ap.add_argument("--our-args", default="",
                    help="extra options for our upload, e.g. '--compression-level 6'")
    ap.add_argument("--rebuild-percent", type=float, default=5.0,
                    help="share of the JS files (with their maps) the rebuild changes")
    ap.add_argument("--fixture-dir", default=os.path.join(cache_dir(), "fixtures"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-md", help="also write the table to this file")
    args = ap.parse_args(argv)
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    args.links = [s.strip() for s in args.link_mbit.split(",") if s.strip()]

    scli = native_sentry_cli(args.sentry_cli or install_sentry_cli())
    ours = os.path.abspath(args.tool) if args.tool else None
    if ours and not os.access(ours, os.X_OK):
        sys.exit("--tool %s is not an executable" % ours)
    log("sentry-cli: %s" % scli)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    fixtures = {s: ensure_fixture(args.fixture_dir, s, args.seed) for s in sizes}

    floor = measure(["/bin/true"], None, None)[1]
    bench = Bench(args, scli, ours)
    filesystem_note = ""
    if journal_less_ext4(bench.work):
        filesystem_note = (" The copies are on ext4 without a journal: inject's times rise after "
                           "large deletions (see bench/README.md).")
    notes = []
    try:
        for size in sizes:
            warm_page_cache(fixtures[size])
            if "upload" in args.only:
                bench.upload(size, fixtures[size])
            if "rebuild" in args.only:
                v2 = fixtures[size] + "-rebuild-%g" % args.rebuild_percent
                renamed = rebuild_fixture.derive(fixtures[size], v2, args.rebuild_percent,
                                                 args.seed)
                warm_page_cache(v2)
                bench.rebuild(size, fixtures[size], v2)
                if ours:
                    target, whole = rebuild_target(ours, v2, renamed, bench.work)
                    notes.append(rebuild_note(bench.results, size, len(renamed), target, whole))
                shutil.rmtree(v2, ignore_errors=True)
            if "inject" in args.only:
                bench.inject(size, fixtures[size])
    finally:
        bench.cleanup()
    notes += link_notes(bench.results, args.links)

    version = subprocess.run([scli, "--version"], capture_output=True, text=True).stdout.strip()
    report = ("%s\n\n%s; median of %d runs; %d CPUs; ratio = ours / sentry-cli; bytes sent = "
              "everything a tool sent to the server (headers and bodies, counted by the link "
              "proxy); RSS floor of the measurement (/bin/true) %.1f MiB.%s\n\n%s"
              "Raw runs (wall/peak RSS/sent):\n%s"
              % (bench.results.table().rstrip(), version, args.repeat, os.cpu_count(), floor,
                 filesystem_note, "".join("- %s\n" % n for n in notes) + ("\n" if notes else ""),
                 bench.results.raw()))
    print(report)
    if args.out_md:
        with open(args.out_md, "w") as f:
            f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
