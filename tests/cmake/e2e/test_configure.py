"""Configure-time behaviour that needs a scratch git work tree (fake uploader)."""
import shutil

import pytest

from cmake_harness import FAKE_UPLOADER, PROJECTS, REPO, git, write_env_file

WARNING = "holds Sentry credentials but git does not ignore it"


@pytest.fixture
def work_tree(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    tree = tmp_path / "app"
    shutil.copytree(PROJECTS, tree / "projects")
    git("init", "-q", cwd=tree)
    return tree


def configure(cmake_project, tree, env_file):
    project = cmake_project(tree / "projects" / "e2e")
    result = project.configure("-DSENTRY_SOURCEMAPS_REPO=%s" % REPO,
                               "-DSENTRY_SOURCEMAPS_EXECUTABLE=%s" % FAKE_UPLOADER,
                               "-DSENTRY_SOURCEMAPS_ENV_FILE=%s" % env_file)
    assert result.returncode == 0, result.output
    return " ".join(result.output.split())


def test_warns_when_env_file_is_not_git_ignored(work_tree, cmake_project):
    env_file = write_env_file(work_tree / ".env.sentry-build-plugin", auth_token="x")
    out = configure(cmake_project, work_tree, env_file)
    assert WARNING in out
    assert 'Add the line ".env.sentry-build-plugin" to .gitignore' in out


def test_quiet_when_env_file_is_git_ignored(work_tree, cmake_project):
    (work_tree / ".gitignore").write_text(".env.sentry-build-plugin\n")
    env_file = write_env_file(work_tree / ".env.sentry-build-plugin", auth_token="x")
    assert WARNING not in configure(cmake_project, work_tree, env_file)


def test_warns_when_env_file_is_tracked_even_if_ignored(work_tree, cmake_project):
    env_file = write_env_file(work_tree / ".env.sentry-build-plugin", auth_token="x")
    git("add", ".env.sentry-build-plugin", cwd=work_tree)
    (work_tree / ".gitignore").write_text(".env.sentry-build-plugin\n")
    assert WARNING in configure(cmake_project, work_tree, env_file)


def test_quiet_without_env_file(work_tree, cmake_project):
    assert WARNING not in configure(cmake_project, work_tree,
                                    work_tree / ".env.sentry-build-plugin")
