"""Shared by the tests in tests/cmake/e2e: paths, the stand-in's accounts,
and CMakeProject, a mini-project configured and built the way a user would."""
import shlex
import shutil
import subprocess
from pathlib import Path

from helpers.process import clean_env, run

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PROJECTS = HERE.parent / "projects"
FAKE_UPLOADER = HERE.parent / "fake_uploader.py"
# Not a real token; tests grep every file and log the build wrote for it.
TOKEN = "sntrys_cmake_e2e_test_t0k3n_f0r_the_st4nd_in"
TOKENS = {TOKEN: ["project:releases", "org:read"],
          "sntrys_read_only": ["project:read"]}
ORGS = {"acme": ["web"], "other": ["site"]}
SKIPPED_LINE = "skipped: no SENTRY_AUTH_TOKEN; maps left untouched"
# The maps of the fake bundle (projects/common/bundle), relative to its folder.
BUNDLE_MAPS = ["assets/app.js.map", "assets/vendor.js.map"]


def find_make_program(build_dir):
    """Ninja: the one the outer build (`build_dir`) uses, else the PATH's."""
    cache = Path(build_dir or "/nonexistent") / "CMakeCache.txt"
    if cache.exists():
        for line in cache.read_text().splitlines():
            if line.startswith("CMAKE_MAKE_PROGRAM:"):
                return line.split("=", 1)[1]
    return shutil.which("ninja")


class CMakeProject:
    """A configured mini-project; every command's output is kept in `log`.
    `generator` is Ninja or Ninja Multi-Config (which stands in for Visual
    Studio and Xcode); build() and commands() then take a `config`."""

    def __init__(self, source, binary, make_program, generator="Ninja"):
        self.source, self.binary, self.make_program = Path(source), Path(binary), make_program
        self.generator = generator
        self.log = []

    def _run(self, cmd, env, timeout):
        result = run(cmd, env=env, timeout=timeout)
        self.log.append(result.output)
        return result

    def configure(self, *args, env=None):
        return self._run(["cmake", "-S", self.source, "-B", self.binary, "-G", self.generator,
                          "-DCMAKE_MAKE_PROGRAM=" + self.make_program, *args],
                         env or clean_env(), 300)

    def build(self, target=None, env=None, timeout=600, config=None):
        cmd = ["cmake", "--build", self.binary, "--verbose"]
        if config:
            cmd += ["--config", config]
        if target:
            cmd += ["--target", target]
        return self._run(cmd, env or clean_env(), timeout)

    def commands(self, target, config=None):
        """The argv of each command building `target` would run (each of the
        `a` and `b` of a `cd ... && a && b` line), from `ninja -t commands`."""
        ninja_file = "build-%s.ninja" % config if config else "build.ninja"
        out = subprocess.run([self.make_program, "-C", self.binary, "-f", ninja_file,
                              "-t", "commands", target],
                             capture_output=True, text=True, check=True).stdout
        return [shlex.split(part) for line in out.splitlines()
                for part in line.split(" && ") if not part.startswith("cd ")]

    def files_written(self):
        """Every text file of the build tree CMake or Ninja wrote, plus all output."""
        texts = {"output": "\n".join(self.log)}
        for leaf in ("CMakeCache.txt", "build.ninja", "CMakeFiles/rules.ninja"):
            p = self.binary / leaf
            if p.exists():
                texts[leaf] = p.read_text(errors="replace")
        for p in self.binary.glob("build-*.ninja"):  # Ninja Multi-Config
            texts[p.name] = p.read_text(errors="replace")
        return texts


def account(fake, **overrides):
    """The env file values of acme/web on the stand-in `fake`, with the token."""
    values = {"auth_token": TOKEN, "url": fake.url, "org": "acme", "project": "web"}
    values.update(overrides)
    return values


def configure_with_env_file(project, uploader, env_file, /, *args, **env_values):
    """Configures `project` (the e2e mini-project) to run `uploader` and read
    the env file `env_file`, written with `env_values` (the token etc.)."""
    write_env_file(Path(env_file), **env_values)
    result = project.configure("-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % uploader,
                               "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % env_file, *args)
    assert result.returncode == 0, result.output
    return project


def write_env_file(path, **values):
    """A .env.sentry-build-plugin with SENTRY_<KEY>=value lines."""
    path.write_text("".join("SENTRY_%s=%s\n" % (k.upper(), v) for k, v in values.items()))
    return path


def maps_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*.map"))


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
