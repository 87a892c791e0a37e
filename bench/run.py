#!/usr/bin/env python3
"""Benchmark `sentry-sourcemaps` against the official sentry-cli.

    python3 bench/run.py --tool build/test/uploader/sentry-sourcemaps [--sizes 20MB,200MB]

Measures `upload --wait` (cold: fresh stand-in; warm: same fixture again to the same
stand-in) and `inject` (on a fresh copy of the fixture each time), alternating the
tools, and prints a Markdown table of median wall time and peak RSS.  See README.md.
"""
import argparse
import glob
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
import gen_fixture  # noqa: E402

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

    def __init__(self):
        cmd = [sys.executable, FAKE_SENTRY, "--host", "127.0.0.1", "--port", "0",
               "--token", "%s=project:releases,org:read" % TOKEN, "--org", "%s=%s" % (ORG, PROJECT)]
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


class Results:
    def __init__(self):
        self.samples = {}  # (operation, size, tool) -> [(wall, rss)] or a string reason

    def add(self, key, value):
        if isinstance(value, str):
            self.samples[key] = value
        elif not isinstance(self.samples.get(key), str):
            self.samples.setdefault(key, []).append(value)

    def median(self, key):
        s = self.samples.get(key)
        if not isinstance(s, list):
            return None
        return statistics.median(w for w, _ in s), statistics.median(r for _, r in s)

    def table(self):
        rows = ["| operation | size | tool | wall s (median) | peak RSS MiB | ratio |",
                "|---|---|---|---:|---:|---|"]
        for op, size, tool in self.keys():
            s = self.samples[(op, size, tool)]
            med = self.median((op, size, tool))
            if med is None:
                rows.append("| %s | %s | %s | n/a | n/a | %s |" % (op, size, tool, s))
                continue
            ratio = "1"
            base = self.median((op, size, SCLI))
            if tool != SCLI:
                ratio = ("wall %.2f×, RSS %.2f×" % (med[0] / base[0], med[1] / base[1])) if base else "n/a"
            rows.append("| %s | %s | %s | %.2f | %.0f | %s |" % (op, size, tool, med[0], med[1], ratio))
        return "\n".join(rows) + "\n"

    def keys(self):
        """Rows grouped by size, then operation, sentry-cli first."""
        sizes = list(dict.fromkeys(k[1] for k in self.samples))
        ops = ["upload cold", "upload warm", "inject"]
        return sorted(self.samples, key=lambda k: (sizes.index(k[1]), ops.index(k[0]), k[2] != SCLI))

    def raw(self):
        lines = []
        for op, size, tool in self.keys():
            s = self.samples[(op, size, tool)]
            if isinstance(s, list):
                lines.append("- %s %s %s: %s" % (op, size, tool, ", ".join(
                    "%.2fs/%.0fMiB" % (w, r) for w, r in s)))
        return "\n".join(lines) + "\n"


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

    def command(self, tool, sub, path):
        if sub == "upload":
            args = ["upload", "--wait", "-o", ORG, "-p", PROJECT, "--release", RELEASE, path]
        else:
            args = ["inject", path]
        prefix = [self.tools[tool], "sourcemaps"] if tool == SCLI else [self.tools[tool]]
        return prefix + args

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

    def run(self, key, tool, cmd, env):
        wall, rss, code, tail = measure(cmd, env, self.cwd)
        if code != 0:
            log("%s failed (exit %d): %s\n%s" % (tool, code, " ".join(cmd), tail))
            self.results.add(key, "failed (exit %d)" % code)
            return False
        log("%-12s %-6s %-18s %7.2fs %6.0f MiB" % (key[0], key[1], tool, wall, rss))
        self.results.add(key, (wall, rss))
        return True

    def upload(self, size, fixture):
        for rep in range(self.args.repeat):
            for tool in self.order(rep):
                cold, warm = ("upload cold", size, tool), ("upload warm", size, tool)
                if not self.available(tool, "upload"):
                    self.results.add(cold, "n/a")
                    self.results.add(warm, "n/a")
                    continue
                with StandIn() as server:  # fresh and empty: a cold upload
                    env = tool_env(self.home, server.url)
                    # Cold also means no local cache of ours: a new, empty one
                    # for each cold run, kept for the warm run that follows.
                    cache = os.path.join(self.work, "cache-%d-%s" % (rep, size))
                    shutil.rmtree(cache, ignore_errors=True)
                    env["SENTRY_SOURCEMAPS_CACHE"] = cache
                    cmd = self.command(tool, "upload", fixture)
                    if self.run(cold, tool, cmd, env):
                        self.run(warm, tool, cmd, env)

    def inject(self, size, fixture):
        for rep in range(self.args.repeat):
            for tool in self.order(rep):
                key = ("inject", size, tool)
                if not self.available(tool, "inject"):
                    self.results.add(key, "n/a")
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", help="path to the built sentry-sourcemaps (omit: sentry-cli only)")
    ap.add_argument("--sentry-cli", help="sentry-cli to compare with (default: npm-install @sentry/cli@3 "
                    "into the cache)")
    ap.add_argument("--sizes", default="20MB,200MB", help="comma-separated total map sizes")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=["inject", "upload"])
    ap.add_argument("--fixture-dir", default=os.path.join(cache_dir(), "fixtures"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out-md", help="also write the table to this file")
    args = ap.parse_args(argv)

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
    try:
        for size in sizes:
            warm_page_cache(fixtures[size])
            if args.only in (None, "upload"):
                bench.upload(size, fixtures[size])
            if args.only in (None, "inject"):
                bench.inject(size, fixtures[size])
    finally:
        bench.cleanup()

    version = subprocess.run([scli, "--version"], capture_output=True, text=True).stdout.strip()
    report = ("%s\n\n%s; median of %d runs; %d CPUs; ratio = ours / sentry-cli; RSS floor of the "
              "measurement (/bin/true) %.1f MiB.%s\n\nRaw runs (wall/peak RSS):\n%s"
              % (bench.results.table().rstrip(), version, args.repeat, os.cpu_count(), floor,
                 filesystem_note, bench.results.raw()))
    print(report)
    if args.out_md:
        with open(args.out_md, "w") as f:
            f.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
