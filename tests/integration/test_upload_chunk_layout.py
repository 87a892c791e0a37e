"""Chunks that end between zip entries, and chunks sent while the bundle is
still written: a rebuild sends only its changed files, a large bundle goes up
as it is compressed, and Sentry assembles both as it would."""
import random
import zipfile
from io import BytesIO

from helpers.dist import write_dist

GROUP_MAX = 64 * 1024  # bundle/chunk_layout.hpp: the largest group of small files


def build_files(count, renamed=(), lines=(5, 1500)):
    """JS files of many sizes whose text barely compresses; file i keeps its
    bytes and name unless it is `renamed` (new content, new hashed name)."""
    files = {}
    for i in range(count):
        changed = i in renamed
        rng = random.Random(i + (1000 if changed else 0))
        body = ["export const x%d = '%032x';" % (j, rng.getrandbits(128))
                for j in range(rng.randrange(*lines))]
        files["assets/page%d-%s.js" % (i, "b2" if changed else "a1")] = body
    return files


def chunk_bytes(sentry):
    return sum(p["size"] for post in sentry.requests_to("chunk") for p in post["body"])


def entry_extents(raw):
    """{zip name: (start, end)} in the bundle file, the trailer included as
    'manifest.json' (manifest entry, central directory and end record)."""
    infos = sorted(zipfile.ZipFile(BytesIO(raw[8:])).infolist(), key=lambda i: i.header_offset)
    starts = [8 + i.header_offset for i in infos] + [len(raw)]
    return {info.filename: (starts[k], starts[k + 1]) for k, info in enumerate(infos)}


def test_a_rebuild_sends_only_its_changed_files(upload, sentry, case_dir):
    write_dist(case_dir / "v1", build_files(60))
    args = ("-o", "acme", "-p", "web", "--no-cache")
    first = upload(*args, "-r", "1", "v1")
    assert first.returncode == 0, first.output
    sentry.clear_requests()
    renamed = {7, 30}
    write_dist(case_dir / "v2", build_files(60, renamed))
    second = upload(*args, "-r", "2", "v2")
    assert second.returncode == 0, second.output

    assert len(sentry.bundles) == 2
    raw = sentry.bundles[1]["raw"]
    assert len(sentry.bundles[1]["manifest"]["files"]) == 120
    extents = entry_extents(raw)
    changed = sum(end - start for name, (start, end) in extents.items()
                  if "-b2.js" in name or name == "manifest.json")
    sent = chunk_bytes(sentry)
    # The changed files (JS and map) and the trailer, plus at most the small
    # files grouped with them where they left and where they arrived.
    assert changed <= sent <= changed + 2 * len(renamed) * GROUP_MAX, (changed, sent, len(raw))
    assert sent < len(raw) / 4
    final = sentry.requests_to("assemble")[-1]["body"]
    assert final["checksum"] == sentry.bundles[1]["checksum"]


def test_every_chunk_fits_and_ends_between_entries_unless_full(upload, sentry, case_dir):
    sentry.config.chunk_options = {"chunkSize": 32768}
    write_dist(case_dir / "dist", build_files(30))
    result = upload("-o", "acme", "-p", "web", "-r", "1", "--no-cache", "dist")
    assert result.returncode == 0, result.output
    bundle = sentry.bundles[0]
    starts = {start for start, _ in entry_extents(bundle["raw"]).values()}
    stored = {p["sha1"]: p["size"] for post in sentry.requests_to("chunk")
              for p in post["body"]}
    offset = 0
    for sha1 in sentry.requests_to("assemble")[-1]["body"]["chunks"]:
        size = stored[sha1]
        assert 0 < size <= 32768
        offset += size
        assert offset == len(bundle["raw"]) or offset in starts or size == 32768, offset
    assert offset == len(bundle["raw"])


def test_a_large_bundle_is_sent_while_it_is_written(upload, sentry, case_dir):
    write_dist(case_dir / "dist", build_files(48, lines=(1500, 2500)))
    args = ("-o", "acme", "-p", "web", "--no-cache", "dist")
    result = upload(*args, "-r", "1")
    assert result.returncode == 0, result.output
    assert "while bundling" in result.stderr
    bundle = sentry.bundles[0]
    assert len(bundle["raw"]) > 4 * 1024 * 1024
    assembles = [r["body"] for r in sentry.requests_to("assemble")]
    final = assembles[-1]
    assert final["checksum"] == bundle["checksum"]
    # Questions name one chunk nobody has, as their checksum too, so Sentry
    # can only answer with the missing ones: nothing else was assembled.
    probes = [body for body in assembles if body["checksum"] != bundle["checksum"]]
    assert probes
    for probe in probes:
        assert probe["chunks"][-1] == probe["checksum"]
        assert probe["checksum"] not in final["chunks"]
        assert probe["projects"] == ["web"] and probe["version"] == "1"
    assert [checksum for (_, checksum) in sentry.store.assemble_jobs] == [bundle["checksum"]]
    asked = [c for probe in probes for c in probe["chunks"][:-1]]
    assert sorted(asked) == sorted(final["chunks"])
    sent = [p["sha1"] for post in sentry.requests_to("chunk") for p in post["body"]]
    assert sorted(sent) == sorted(set(final["chunks"])), "each chunk sent once"

    # The same files for another release: only the trailer (the manifest
    # names the release) is new.
    sentry.clear_requests()
    again = upload(*args, "-r", "2")
    assert again.returncode == 0, again.output
    raw = sentry.bundles[-1]["raw"]
    assert sentry.bundles[-1]["manifest"]["release"] == "2"
    start, end = entry_extents(raw)["manifest.json"]
    (post,) = sentry.requests_to("chunk")
    assert [p["size"] for p in post["body"]] == [end - start]
    assert "sent 1 of" in again.stderr
