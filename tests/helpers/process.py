"""Running the built uploader the way a user or CI would."""
import os
import subprocess
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
