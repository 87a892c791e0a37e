"""Uploads running side by side, as a monorepo build or a shared CI runner
starts them: several folders at once, one HOME, so one upload cache. The
cache keeps only a few bundles, so while some uploads are still sending
theirs, others evict; no upload may lose the bundle it is sending."""
import random
import shutil
import subprocess

from conftest import UPLOAD_TOKEN
from helpers.dist import write_dist
from helpers.process import clean_env

UPLOADS = 8  # twice the bundles the cache keeps, so saving one evicts another
ROUNDS = 3
FILES_PER_FOLDER = 4
LINES_PER_FILE = 4000


def write_folder(root, app, round_number):
    """Writes this round's build of `app` under `root` (replacing the last
    one) and returns the URLs its bundle must hold.

    The lines are random hex (seeded, so a failure can be replayed): they
    hardly compress, which makes each bundle about 1.5 MB, large enough that
    sending it takes a while and the uploads overlap. New contents every
    round mean new chunks, so every round really reads its bundle file
    instead of finding everything already on the server.
    """
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(f"{app}/{round_number}")
    files = {}
    for part in range(FILES_PER_FOLDER):
        name = f"assets/app{app}-r{round_number}-{part}.js"
        files[name] = [f"var v{n} = '{rng.getrandbits(256):064x}';"
                       for n in range(LINES_PER_FILE)]
    write_dist(root, files)
    return {f"~/{name}{suffix}" for name in files for suffix in ("", ".map")}


def start_upload(uploader, sentry, home, folder, release):
    env = clean_env(SENTRY_URL=sentry.url, SENTRY_AUTH_TOKEN=UPLOAD_TOKEN, HOME=home)
    # The cache must come from HOME, as it does for two jobs of one CI user.
    env.pop("XDG_CACHE_HOME", None)
    return subprocess.Popen(
        [uploader, "upload", "-o", "acme", "-p", "web", "--release", release, str(folder)],
        cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_uploads_sharing_one_cache_run_side_by_side(uploader, sentry, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    failures = []
    expected = []
    for round_number in range(ROUNDS):
        urls = [write_folder(tmp_path / f"app{app}", app, round_number)
                for app in range(UPLOADS)]
        # All started before any is waited for, so they build, evict and send
        # at the same time.
        processes = [start_upload(uploader, sentry, home, tmp_path / f"app{app}",
                                  f"app{app}@{round_number}")
                     for app in range(UPLOADS)]
        for app, process in enumerate(processes):
            stdout, stderr = process.communicate(timeout=300)
            if process.returncode != 0:
                failures.append(f"round {round_number}, app{app}: exit "
                                f"{process.returncode}: {stderr.strip()}")
        expected += [(f"app{app}@{round_number}", urls[app]) for app in range(UPLOADS)]
    assert failures == [], f"{len(failures)} of {UPLOADS * ROUNDS} uploads failed:\n" + \
        "\n".join(failures)

    received = {(b["manifest"].get("release"),
                 frozenset(f["url"] for f in b["manifest"]["files"].values()))
                for b in sentry.bundles}
    missing = [release for release, urls in expected if (release, frozenset(urls)) not in received]
    assert missing == [], f"the stand-in lacks the bundles of {missing}"

    # Once every upload has finished, the shared cache is back within its
    # bound (4 bundles) and no upload left a temporary file behind.
    cache = home / ".cache" / "sentry-sourcemaps" / "bundles"
    assert len(list(cache.glob("*.bundle"))) == 4
    leftovers = [p.name for p in cache.iterdir()
                 if not (p.name.endswith((".bundle", ".bundle.json", ".plan.json"))
                         or p.name == ".lock")]
    assert leftovers == []
