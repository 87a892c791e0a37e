"""The command line contract: help, version, dispatch and usage errors."""
import re

from helpers.dist import snapshot, write_dist


def listed_commands(help_text):
    lines = help_text.split("Commands:\n", 1)[1].splitlines()
    commands = []
    for line in lines:
        if not line.startswith("  "):
            break
        commands.append(line.split()[0])
    return commands


def test_help_lists_subcommands_and_exit_codes(cli):
    result = cli("--help")
    assert result.returncode == 0, result.output
    commands = listed_commands(result.stdout)
    assert commands, f"--help lists no subcommand:\n{result.stdout}"
    assert "Exit codes: 0 ok, 1" in result.stdout


def test_every_listed_command_has_help(cli):
    for command in listed_commands(cli("--help").stdout):
        result = cli(command, "--help")
        assert result.returncode == 0, result.output
        assert result.stdout.startswith(f"Usage: sentry-sourcemaps {command}")


def test_version(cli):
    result = cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"sentry-sourcemaps \d+\.\d+\.\d+\n", result.stdout)


def test_unknown_subcommand_exits_2_and_names_accepted(cli):
    result = cli("uplaod", "dist")
    assert result.returncode == 2
    accepted = ", ".join(listed_commands(cli("--help").stdout))
    assert result.stderr == (
        f"sentry-sourcemaps: error: unknown command 'uplaod'; accepted: {accepted}"
        " (see 'sentry-sourcemaps --help')\n")
    assert result.stdout == ""


def test_unknown_flag_exits_2_and_names_accepted(cli):
    command = listed_commands(cli("--help").stdout)[0]
    result = cli(command, "--no-such-flag")
    assert result.returncode == 2
    assert f"error: unknown option '--no-such-flag' for '{command}'; accepted: --" \
        in result.stderr
    assert "--help" in result.stderr


def test_missing_option_value_exits_2(cli):
    result = cli("inject", "--ext")
    assert result.returncode == 2
    assert "option '--ext' needs a value: --ext EXT" in result.stderr


def test_no_arguments_prints_usage_to_stderr_and_exits_2(cli):
    result = cli()
    assert result.returncode == 2
    assert result.stderr.startswith("Usage: sentry-sourcemaps <COMMAND>")


def test_inject_log_level_trace_times_each_phase(cli, case_dir):
    dist = write_dist(case_dir / "dist")
    result = cli("inject", "--log-level", "trace", str(dist))
    assert result.returncode == 0, result.output
    phases = re.findall(r"^inject: (.+) in \d+\.\d ms$", result.stderr, re.M)
    assert phases == ["found 4 files", "read and classified them",
                      "prepared the changes", "committed them"]
    assert re.search(r"^commit: synced 4 files in \d+\.\d ms$", result.stderr, re.M)
    # Not at the default level, nor with --verbose (debug).
    again = write_dist(case_dir / "again")
    result = cli("inject", "--verbose", str(again))
    assert result.returncode == 0 and " ms\n" not in result.stderr


def test_inject_rejects_an_unknown_log_level(cli, case_dir):
    dist = write_dist(case_dir / "dist")
    before = snapshot(dist)
    result = cli("inject", "--log-level", "loud", str(dist))
    assert result.returncode == 2
    assert "unknown log level 'loud'; accepted: trace, debug, info, warn, error" in result.stderr
    assert snapshot(dist) == before


def test_inject_ignore_file_leaves_the_named_files_alone(cli, case_dir):
    dist = write_dist(case_dir / "dist")
    (case_dir / "inject.ignore").write_text("vendor-*\n")
    vendor = sorted(p for p in dist.rglob("vendor-*"))
    before = {p: p.read_bytes() for p in vendor}
    result = cli("inject", "-I", "inject.ignore", "dist", cwd=case_dir)
    assert result.returncode == 0, result.output
    assert {p: p.read_bytes() for p in vendor} == before
    assert "//# debugId=" in (dist / "assets/index-abc123.js").read_text()
