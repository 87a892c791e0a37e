"""Did `upload --delete-after` delete the maps only after Sentry confirmed them?

Judged from what the stand-in saw: with FakeSentry.watch(folder) every request
records which maps existed at the moment its answer went out, before the tool
could read it. A map missing at the confirming answer (or earlier) was deleted
before the tool knew Sentry had it.
"""
from pathlib import Path


def state(record):
    """The assemble state the stand-in answered, or None."""
    response = record.get("response")
    return response.get("state") if isinstance(response, dict) else None


def confirms(record):
    """An answer telling the tool that Sentry has the files: an artifact or
    release bundle assembled (`ok`), or a release file stored (201; 409: there)."""
    if record["endpoint"] in ("assemble", "release_assemble"):
        return record["status"] == 200 and state(record) == "ok"
    return record["endpoint"] == "release_file_upload" and record["status"] in (201, 409)


def timeline(log, maps):
    """(endpoint, state or status, maps missing when it was answered) per request."""
    return [(r["endpoint"], state(r) or r["status"],
             sorted(set(maps) - set(r.get("watched", maps)))) for r in log]


def assert_deleted_only_after_confirmation(sentry, root, maps, until="end"):
    """Every map in `maps` (paths relative to `root`, the folder given to
    sentry.watch) existed when the stand-in sent each answer up to: "end", every
    answer of the run (the confirmation and any release step after it: upload
    deletes last); "confirmed", the first confirming answer (parked maps are
    removed as soon as their own bundle is confirmed). None of them exists now."""
    __tracebackhide__ = True
    log = list(sentry.requests)
    assert maps, "no maps to follow"
    assert log and all("watched" in r for r in log), "call sentry.watch(folder) first"
    confirmations = [i for i, r in enumerate(log) if confirms(r)]
    assert confirmations, "Sentry never confirmed the upload: %s" % timeline(log, maps)
    last = len(log) - 1 if until == "end" else confirmations[0]
    early = [r for r in log[:last + 1] if not set(maps) <= set(r["watched"])]
    assert not early, "maps were deleted before Sentry's confirmation reached the tool: %s" \
        % timeline(log, maps)
    root = Path(root)
    left = [m for m in maps if (root / m).exists() or (root / m).is_symlink()]
    assert not left, "not deleted after the confirmation: %s" % left
