"""multipart/form-data parsing (RFC 7578) for binary bodies.

The stdlib `cgi` module is deprecated, and `email` mangles binary parts, so this
is a small parser of its own.
"""
import re


class MultipartError(ValueError):
    pass


class Part:
    __slots__ = ("name", "filename", "content_type", "headers", "data")

    def __init__(self, name, filename, content_type, headers, data):
        self.name = name
        self.filename = filename
        self.content_type = content_type
        self.headers = headers
        self.data = data


def parse_header_params(value):
    """Split 'form-data; name="a"; filename="b"' into ('form-data', {params})."""
    # A quoted string may hold ';' and escaped quotes, so tokenise with a regex.
    head, _, rest = value.partition(";")
    params = {}
    for m in re.finditer(r'\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*;?', rest):
        key, val = m.group(1).lower(), m.group(2).strip()
        if val.startswith('"') and val.endswith('"') and len(val) >= 2:
            val = re.sub(r"\\(.)", r"\1", val[1:-1])
        if key.endswith("*"):  # RFC 5987 ext-value: charset'lang'pct-encoded
            from urllib.parse import unquote

            charset, _, encoded = val.partition("'")
            _, _, encoded = encoded.partition("'")
            key, val = key[:-1], unquote(encoded, encoding=charset or "utf-8")
        params[key] = val
    return head.strip().lower(), params


def boundary_of(content_type):
    kind, params = parse_header_params(content_type or "")
    if kind != "multipart/form-data":
        return None
    boundary = params.get("boundary")
    if not boundary:
        raise MultipartError("Invalid boundary in multipart: None")
    return boundary.encode("latin-1")


def parse(body, boundary):
    """Return the list of Parts in `body`. Raises MultipartError when malformed."""
    delim = b"--" + boundary
    # The first delimiter may be at the very start or after a preamble line.
    if body.startswith(delim):
        pos = 0
    else:
        pos = body.find(b"\r\n" + delim)
        if pos < 0:
            raise MultipartError("no opening boundary")
        pos += 2
    parts = []
    while True:
        pos += len(delim)
        if body[pos:pos + 2] == b"--":
            return parts  # closing delimiter; the epilogue is ignored
        # Transport padding, then CRLF (tolerate a bare LF).
        while body[pos:pos + 1] in (b" ", b"\t"):
            pos += 1
        if body[pos:pos + 2] == b"\r\n":
            pos += 2
        elif body[pos:pos + 1] == b"\n":
            pos += 1
        else:
            raise MultipartError("garbage after boundary")
        end = body.find(b"\r\n" + delim, pos)
        if end < 0:
            raise MultipartError("missing closing boundary")
        parts.append(_parse_part(body[pos:end]))
        pos = end + 2


def _parse_part(raw):
    sep = raw.find(b"\r\n\r\n")
    if sep < 0:
        if raw.startswith(b"\r\n"):  # no headers at all
            head, data = b"", raw[2:]
        else:
            raise MultipartError("part without header terminator")
    else:
        head, data = raw[:sep], raw[sep + 4:]
    headers = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        if not line.strip():
            continue
        if ":" not in line:
            raise MultipartError("bad part header line: %r" % line)
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    disp, params = parse_header_params(headers.get("content-disposition", ""))
    if disp != "form-data" or "name" not in params:
        raise MultipartError("part without form-data name")
    return Part(params["name"], params.get("filename"), headers.get("content-type"), headers, data)
