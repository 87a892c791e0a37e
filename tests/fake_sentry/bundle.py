"""Assembling and checking an artifact bundle, as sentry/tasks/assemble.py does.

Error details are the real server's strings (protocol doc §4.5).
"""
import hashlib
import io
import json
import re
import struct
import uuid
import zipfile

SYSB_MAGIC = b"SYSB"
SOURCE_FILE_TYPES = ("source", "minified_source", "source_map", "indexed_ram_bundle")
INVALID = "the bundle is invalid"


class AssembleError(Exception):
    pass


def normalize_debug_id(value):
    """Lowercase hyphenated UUID (plus any appendix), or None if it is not a debug id.

    Mirrors symbolic's normalize_debug_id loosely: hyphenated or simple hex, braces
    allowed, an optional '-'-separated hex appendix kept.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().lower().strip("{}")
    m = re.fullmatch(r"([0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})"
                     r"(?:-?([0-9a-f]{1,8}))?", text)
    if not m:
        return None
    out = str(uuid.UUID(m.group(1)))
    return out + ("-" + m.group(2) if m.group(2) and int(m.group(2), 16) else "")


def join_chunks(store, org_slug, checksum, chunks, max_file_size):
    """Join the chunks in order; the checks of assemble_file()."""
    owned = store.chunk_owners.get(org_slug, set())
    present = [c for c in dict.fromkeys(chunks) if c in owned]
    size = sum(len(store.chunks[c]) for c in present)
    if size > max_file_size:
        name = "bundle-artifacts-%s.zip" % uuid.uuid4().hex
        raise AssembleError("File %s exceeds maximum size (%d > %d)" % (name, size, max_file_size))
    if len(present) != len(set(chunks)):
        raise AssembleError("Not all chunks available for assembling")
    data = b"".join(store.chunks[c] for c in chunks)
    if hashlib.sha1(data).hexdigest() != checksum:
        raise AssembleError("Reported checksum mismatch")
    return data


def open_bundle(raw, strict):
    """Return (manifest dict, {zip name: bytes}, has_sysb). Raise AssembleError(INVALID)."""
    has_sysb = raw[:4] == SYSB_MAGIC and len(raw) >= 8
    if strict and not (has_sysb and struct.unpack("<I", raw[4:8])[0] == 2):
        raise AssembleError(INVALID)  # real server is lenient here; symbolic's test() is not
    try:
        # zipfile finds the central directory from the end, so the 8-byte prefix is fine.
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
            files = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, OSError):
        raise AssembleError(INVALID)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
        raise AssembleError(INVALID)
    if strict and any(name not in files for name in manifest.get("files", {})):
        raise AssembleError(INVALID)
    return manifest, files, has_sysb


def debug_ids_of(manifest):
    """(debug_id, type) pairs the server would index (ArtifactBundleArchive)."""
    out = []
    for info in manifest.get("files", {}).values():
        if not isinstance(info, dict) or not info.get("url"):
            continue
        headers = {k.lower(): v for k, v in (info.get("headers") or {}).items()}
        debug_id = normalize_debug_id(headers.get("debug-id"))
        if debug_id and info.get("type") in SOURCE_FILE_TYPES:
            out.append((debug_id, info["type"]))
    return out


def assemble(store, org_slug, checksum, chunks, project_ids, version, dist):
    """Run the assemble task. Returns the bundle record, None for an empty (discarded)
    bundle; raises AssembleError with the detail the server reports."""
    cfg = store.config
    if cfg.assemble_error:
        raise AssembleError(cfg.assemble_error)
    max_size = cfg.effective_chunk_options()["maxFileSize"]
    raw = join_chunks(store, org_slug, checksum, chunks, max_size)
    if not project_ids:
        raise AssembleError("uploading an artifact bundle without a project is prohibited")
    manifest, files, has_sysb = open_bundle(raw, cfg.strict_bundle)
    record = {
        "checksum": checksum, "org": org_slug, "projects": list(project_ids),
        "version": version, "dist": dist, "manifest": manifest, "files": files,
        "raw": raw, "sysb": has_sysb,
    }
    if not manifest.get("files"):
        return None
    # Request fields win; the manifest's release/dist are the fallback.
    release = version or manifest.get("release")
    record["release"] = release
    record["release_dist"] = dist or manifest.get("dist")
    record["debug_ids"] = debug_ids_of(manifest)
    if not record["debug_ids"] and not release:
        raise AssembleError("uploading a bundle without debug ids or release is prohibited")
    bundle_id = normalize_debug_id(manifest.get("debug_id")) or str(uuid.UUID(checksum[:32]))
    record["bundle_id"] = bundle_id[:36]
    return record
