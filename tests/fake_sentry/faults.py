"""Scripted faults: the next N requests matching a rule get these answers instead.

An entry is one of:
  500                                   -> that status with a JSON {"detail": reason}
  {"status": 429, "headers": {...}, "body": {...} | "text" | b"bytes"}
  {"drop": True}       read the request, then close the socket without answering
  {"reset": True}      same, but with a TCP RST (SO_LINGER 0)
  {"delay": 3.0}       sleep, then answer normally (or with "status" if given)
                       (delays and stalls end early when the stand-in stops)
  {"hold": True}       answer nothing until FakeSentry.release_held(), then go on
                       as the other keys say; dropped when the stand-in stops
  {"stall": 10}        send headers and half the body, stall, then close

Answers cut short. With these the request takes effect as usual (chunks are
stored, a bundle assembled): only its answer is lost on the way, as when a
proxy or the network drops the connection after the server acted. "status"
replaces the stand-in's status, "headers" are added to its headers. The request log shows "cut off" as status
(with the full answer in "response") for the two that close.
  {"cut_headers": True}  send the status line and the header block up to the
                       middle of its last line (Content-Length), then close
  {"cut_body": 37}     send the status line and headers, Content-Length
                       announcing the whole body, then only its first 37
                       bytes, then close; {"cut_body": 37, "length": 120}
                       announces 120 bytes instead (the body padded with
                       spaces; the default is at least 38), so even the
                       chunk upload's empty 200 can be cut
  {"empty_body": True} send the answer's status and headers with
                       Content-Length: 0 and no body; the connection stays open
"""
import threading

CUTS = {"cut_headers", "cut_body", "empty_body"}


def normalize(entry):
    if isinstance(entry, int):
        return {"status": entry}
    if isinstance(entry, dict):
        known = {"status", "headers", "body", "drop", "reset", "delay", "stall", "hold",
                 "length"} | CUTS
        unknown = set(entry) - known
        if len(CUTS & set(entry)) > 1:
            raise ValueError("one cut per fault, not %s" % sorted(CUTS & set(entry)))
        if "length" in entry and "cut_body" not in entry:
            raise ValueError('"length" goes only with "cut_body"')
        if unknown:
            raise ValueError("unknown fault keys: %s" % sorted(unknown))
        return dict(entry)
    raise TypeError("fault entry must be an int or a dict, not %r" % (entry,))


class FaultScript:
    def __init__(self):
        self._lock = threading.Lock()
        self._rules = []  # [method or None, path or None, endpoint or None, [entries]]

    def add(self, method, target, entries):
        """target: an exact path ("/api/0/...") or an endpoint name ("assemble")."""
        method = None if method in (None, "*") else method.upper()
        path, endpoint = (target, None) if target.startswith("/") else (None, target)
        with self._lock:
            self._rules.append([method, path, endpoint, [normalize(e) for e in entries]])

    def take(self, method, path, endpoint):
        """Pop the next fault for this request, or None."""
        with self._lock:
            for rule in self._rules:
                m, p, e, entries = rule
                if not entries:
                    continue
                if m is not None and m != method:
                    continue
                if (p is not None and p != path) or (e is not None and e != endpoint):
                    continue
                return entries.pop(0)
        return None

    def pending(self):
        with self._lock:
            return sum(len(r[3]) for r in self._rules)

    def clear(self):
        with self._lock:
            self._rules.clear()
