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
"""
import threading


def normalize(entry):
    if isinstance(entry, int):
        return {"status": entry}
    if isinstance(entry, dict):
        known = {"status", "headers", "body", "drop", "reset", "delay", "stall", "hold"}
        unknown = set(entry) - known
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
