"""Running the built uploader the way a user or CI would."""
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self):
        return self.stdout + self.stderr


def clean_env(**overrides):
    """The caller's environment without any Sentry configuration, plus overrides.

    Tests must not pick up a developer's real token or ~/.sentryclirc.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    env.update({k: str(v) for k, v in overrides.items() if v is not None})
    return env


def run(command, *, cwd=None, env=None, timeout=120, input=None):
    """Runs `command` (a list) and returns its Result; never raises on failure."""
    __tracebackhide__ = True
    completed = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env if env is not None else clean_env(),
        input=input, capture_output=True, text=True, timeout=timeout)
    return Result(completed.returncode, completed.stdout, completed.stderr)


class Child:
    """A started command that a test can freeze, look at and kill at an exact moment.

    stop() sends SIGSTOP and waits (waitpid WUNTRACED) until every thread has
    stopped, so what the test sees while it is stopped is exactly what a kill()
    then leaves behind. signal() may be called from another thread (e.g. a
    fake_sentry hook, while the child waits for that very answer); every wait
    happens on the thread that made the Child. After `timeout` seconds the child
    is killed and `hung` is set: a guard against a hung test, not a measure of
    speed.
    """

    def __init__(self, command, *, cwd=None, env=None, timeout=120):
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self._lock = threading.Lock()
        self.returncode = None
        self.stopped = False  # a stop was reported by waitpid and not resumed since
        self.hung = False
        self.process = subprocess.Popen(
            [str(c) for c in command], cwd=cwd, env=env if env is not None else clean_env(),
            stdout=self._out, stderr=self._err)
        self.pid = self.process.pid
        self._guard = threading.Timer(timeout, self._hang)
        self._guard.daemon = True
        self._guard.start()

    def _hang(self):
        self.hung = True
        self.signal(signal.SIGKILL)

    def signal(self, number):
        """Sends a signal unless the child was reaped (its pid may be reused)."""
        with self._lock:
            if self.returncode is None:
                os.kill(self.pid, number)

    def _wait(self, flags):
        """waitpid; True when the child stopped, False when it ended (reaped)."""
        _, status = os.waitpid(self.pid, flags)
        if os.WIFSTOPPED(status):
            self.stopped = True
            return True
        with self._lock:
            self.returncode = os.waitstatus_to_exitcode(status)
            self.process.returncode = self.returncode  # Popen must not wait again
        self._guard.cancel()
        return False

    def running(self):
        """True until the child ends (it is not reaped here: safe on any thread)."""
        if self.returncode is not None:
            return False
        return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None

    def wait_stopped(self):
        """Waits until the child stops (a SIGSTOP from anywhere) or ends; True if stopped."""
        if self.returncode is not None:
            return False
        return self.stopped or self._wait(os.WUNTRACED)

    def stop(self):
        """Freezes the child; True if it is now stopped, False if it had ended."""
        self.signal(signal.SIGSTOP)
        return self.wait_stopped()

    def resume(self):
        self.stopped = False
        self.signal(signal.SIGCONT)

    def kill(self):
        """SIGKILL (a stopped child dies without running again) and reap it."""
        self.signal(signal.SIGKILL)
        self.wait()

    def wait(self):
        """Waits for the end; returns the Result (returncode -9 after a kill)."""
        __tracebackhide__ = True
        if self.stopped:
            self.resume()
        while self.returncode is None:
            if self._wait(os.WUNTRACED):  # stopped by someone: let it go on
                self.resume()
        if self.hung:
            raise AssertionError("%s hung; killed it" % (self.process.args,))
        self._out.seek(0)
        self._err.seek(0)
        return Result(self.returncode, self._out.read().decode("utf-8", "replace"),
                      self._err.read().decode("utf-8", "replace"))

    def kill_when(self, condition, slice_seconds=0.001):
        """Runs the child in short slices and kills it, frozen, at the first stop at
        which condition() is true. True if killed there; False if it ended first.
        A running child is stopped first."""
        if not self.stop():
            return False
        while not condition():
            self.resume()
            time.sleep(slice_seconds)
            if not self.stop():
                return False
        self.kill()
        return True
