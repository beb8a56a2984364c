"""Tests of faulty plugins at the command line: exits, importers, exporters."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from cli_support import AS_OF, GOOD, example, script

from os_calls import replace_call

EXITING_IMPORT = "import sys\nsys.exit(0)\n"
EXITING_RULE = textwrap.dedent(
    """\
    import sys
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST950", slug="exits", title="t", category="governance",
          severity="info", fix="f")
    def exits(engagement, ctx):
        sys.exit(0)
        yield

    @hookimpl
    def outsourcekit_register_rules():
        return [exits]
    """
)
EXITING_HOOK = textwrap.dedent(
    """\
    import sys
    from outsourcekit.hookspecs import hookimpl

    @hookimpl
    def outsourcekit_report_ready(report):
        sys.exit(0)
    """
)


def exporter(body: str) -> str:
    """The source of a plugin registering the format ``odd`` that runs *body*."""
    return textwrap.dedent(
        f"""\
        import sys
        from outsourcekit.plugins import Exporter
        from outsourcekit.hookspecs import hookimpl

        def odd(report):
            {body}

        @hookimpl
        def outsourcekit_register_exporters():
            return [Exporter("odd", ".odd", odd)]
        """
    )


def importer(body: str) -> str:
    """The source of a plugin registering an importer of ``.odd`` that runs *body*."""
    return textwrap.dedent(
        f"""\
        import sys
        from outsourcekit.plugins import Importer
        from outsourcekit.hookspecs import hookimpl

        def read(path, options):
            {body}

        @hookimpl
        def outsourcekit_register_importers():
            return [Importer(name="odd", suffixes=".odd", func=read)]
        """
    )


class TestSystemExit:
    def test_plugin_exiting_at_import(self, invoke, site):
        """A plugin calling sys.exit() at import is a plugin error, exit 3."""
        site(quitter=EXITING_IMPORT)

        result = invoke("check", example(), "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert (
            "error: plugin 'quitter': cannot be imported (quitter_plugin): "
            "SystemExit: 0"
        ) in result.stderr

    def test_plugins_command_with_exiting_plugin(self, invoke, site):
        """`plugins` reports a plugin that exits at import and exits 3."""
        site(quitter=EXITING_IMPORT)

        result = invoke("plugins")

        assert 3 == result.exit_code
        assert "cannot be imported (quitter_plugin): SystemExit: 0" in result.stdout

    def test_rule_exiting(self, invoke, site):
        """A rule calling sys.exit() is a rule error, exit 3."""
        site(exits=EXITING_RULE)

        result = invoke("check", example(), "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert "error: rule TST950 failed on engagement" in result.stderr
        assert "SystemExit: 0" in result.stderr

    def test_hook_exiting(self, invoke, site):
        """A report hook calling sys.exit() is a plugin error, exit 3."""
        site(hook=EXITING_HOOK)

        result = invoke("check", example(), "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert (
            "error: plugin 'hook': outsourcekit_report_ready raised SystemExit: 0"
        ) in result.stderr

    def test_exporter_exiting(self, invoke, site):
        """An exporter calling sys.exit() is a failed format, exit 3."""
        site(odd=exporter("sys.exit(0)"))

        result = invoke("check", example(), "--as-of", AS_OF, "--format", "odd")

        assert 3 == result.exit_code
        assert "format 'odd' (plugin odd) failed: SystemExit: 0" in result.stderr


INTERRUPTED_RULE = EXITING_RULE.replace("sys.exit(0)", "raise KeyboardInterrupt")


UNPRINTABLE = textwrap.dedent(
    """\
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no message")

    @rule(code="TST951", slug="unprintable", title="t", category="governance",
          severity="info", fix="f")
    def unprintable(engagement, ctx):
        raise Unprintable
        yield

    @hookimpl
    def outsourcekit_register_rules():
        return [unprintable]

    @hookimpl
    def outsourcekit_report_ready(report):
        raise Unprintable
    """
)


class TestUnprintableErrors:
    def test_rule_and_hook(self, invoke, site):
        """Errors whose message cannot be read are reported; the check completes."""
        site(odd=UNPRINTABLE)

        result = invoke("check", example(), "--as-of", AS_OF, "-f", "json")

        assert 3 == result.exit_code
        report = json.loads(result.stdout)
        hidden = "(its message cannot be shown: str() raised RuntimeError: no message)"
        assert [("TST951", "Unprintable", hidden)] == [
            (e["rule"], e["type"], e["message"]) for e in report["rule_errors"]
        ]
        assert [("odd", f"outsourcekit_report_ready raised Unprintable: {hidden}")] == [
            (e["plugin"], e["message"]) for e in report["plugin_errors"]
        ]


#: A rule that notes the process checking each engagement, and takes its time.
SLOW_RULE = textwrap.dedent(
    """\
    import os
    import time
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST951", slug="slow", title="t", category="governance",
          severity="info", fix="f")
    def slow(engagement, ctx):
        with open("checked.log", "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\\n")
        time.sleep(0.05)
        return ()

    @hookimpl
    def outsourcekit_register_rules():
        return [slow]
    """
)


#: SIGHUP, where the platform has it (not on Windows).
SIGHUP = getattr(signal, "SIGHUP", None)
needs_sighup = pytest.mark.skipif(SIGHUP is None, reason="no SIGHUP here")
#: Runs the command ``argv[1:]`` with SIGTERM and SIGHUP at their defaults,
#: whatever the tests inherited (run under ``nohup``, SIGHUP is ignored, and a
#: command keeps a signal ignored that it started with).
AT_DEFAULTS = (
    "import os, signal, sys\n"
    "for name in ('SIGTERM', 'SIGHUP'):\n"
    "    if hasattr(signal, name):\n"
    "        signal.signal(getattr(signal, name), signal.SIG_DFL)\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n"
)
#: Runs a command in a session of its own whose terminal is ``argv[1]``, with
#: its signals at their defaults (as :data:`AT_DEFAULTS`).
ON_TERMINAL = (
    "import fcntl, os, signal, sys, termios\n"
    "fd = os.open(sys.argv[1], os.O_RDWR)\n"
    "fcntl.ioctl(fd, termios.TIOCSCTTY, 0)\n"
    "signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
    "signal.signal(signal.SIGHUP, signal.SIG_DFL)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)


def slow_check(site, tmp_path, jobs, count=300):
    """A slow check of two files writing ``out.sarif`` as it runs; its env.

    Each engagement checked adds the pid of its process to ``checked.log``.
    """
    env = {**os.environ, **site(slow=SLOW_RULE)}
    env.pop("NO_COLOR", None)
    streaming = tmp_path / "streaming"  # out.sarif written as the check runs
    streaming.mkdir()
    (streaming / "sitecustomize.py").write_text(
        "import outsourcekit.cli\noutsourcekit.cli.STREAM_BYTES = 0\n",
        encoding="utf-8",
    )
    env["PYTHONPATH"] = f"{streaming}{os.pathsep}{env['PYTHONPATH']}"
    folder = tmp_path / "engagements"
    folder.mkdir()
    item = json.loads(example("lakeview-dental-it-support.json").read_text())
    for name in ("a", "b"):
        lines = (json.dumps({**item, "id": f"{name}-{n}"}) for n in range(count))
        (folder / f"{name}.jsonl").write_text("\n".join(lines), encoding="utf-8")
    command = [
        *script(),
        *("check", str(folder), "--as-of", AS_OF, "-q"),
        *("--jobs", str(jobs), "-o", "out.sarif"),
    ]
    return command, env


def stopped(process, tmp_path, stop):
    """Call *stop* once *process* checks; how it ended.

    Returns the status, stderr (if piped), the SARIF files left beside
    ``out.sarif`` (its hidden part file included), and whether the workers
    went on checking after the command ended.
    """
    log = tmp_path / "checked.log"
    try:
        deadline = time.monotonic() + 120
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        stop()
        process.wait(timeout=120)
        checked = log.read_text(encoding="utf-8").count("\n")
        time.sleep(1)
        went_on = log.read_text(encoding="utf-8").count("\n") > checked
        # Workers left running hold stderr open: read it once they are gone.
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    return (
        process.returncode,
        stderr,
        sorted(p.name for p in tmp_path.iterdir() if "sarif" in p.name),
        went_on,
    )


def signalled(site, tmp_path, jobs, signum):
    """Run a slow check and send *signum* to the command alone once it checks."""
    command, env = slow_check(site, tmp_path, jobs)
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [sys.executable, "-c", AT_DEFAULTS, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    return stopped(process, tmp_path, lambda: process.send_signal(signum))


class TestInterrupt:
    @pytest.mark.parametrize("jobs", [1, 2])
    def test_terminated(self, site, tmp_path, jobs):
        """SIGTERM ends a run as Ctrl-C does: 143, no traceback, nothing left."""
        assert (143, "terminated\n", [], False) == signalled(
            site, tmp_path, jobs, signal.SIGTERM
        )

    @needs_sighup
    @pytest.mark.parametrize("jobs", [1, 2])
    def test_hangup(self, site, tmp_path, jobs):
        """SIGHUP (``kill -HUP``) ends a run as SIGTERM does, with 129."""
        assert (129, "hangup\n", [], False) == signalled(site, tmp_path, jobs, SIGHUP)

    @needs_sighup
    @pytest.mark.parametrize("jobs", [1, 2])
    def test_terminal_closed(self, site, tmp_path, jobs):
        """A terminal closed under a run ends it with 129, though it cannot say so."""
        import pty  # not on Windows

        command, env = slow_check(site, tmp_path, jobs)
        terminal, side = pty.openpty()
        try:
            process = subprocess.Popen(  # noqa: S603 - our own console script
                [sys.executable, "-c", ON_TERMINAL, os.ttyname(side), *command],
                stdin=side,
                stdout=side,
                stderr=side,
                env=env,
                cwd=tmp_path,
                start_new_session=True,
            )
        finally:
            os.close(side)
        assert (129, None, [], False) == stopped(
            process, tmp_path, lambda: os.close(terminal)
        )

    @needs_sighup
    def test_hangup_ignored(self, site, tmp_path):
        """A run started with SIGHUP ignored (``nohup``) is not ended by it."""
        command, env = slow_check(site, tmp_path, 2, count=20)
        process = subprocess.Popen(  # noqa: S603 - our own console script
            ["nohup", *command],  # noqa: S607 - found on PATH
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )

        status, _, left, _ = stopped(
            process, tmp_path, lambda: process.send_signal(SIGHUP)
        )

        checked = (tmp_path / "checked.log").read_text(encoding="utf-8").count("\n")
        assert (1, ["out.sarif"], 40) == (status, left, checked)  # 1: findings

    def test_ctrl_c_exits_130(self, invoke, site):
        """Ctrl-C while rules run says so and exits 130, never 1 (findings)."""
        site(exits=INTERRUPTED_RULE)

        result = invoke("check", example(), "--as-of", AS_OF)

        assert 130 == result.exit_code
        assert result.stderr.splitlines()[-1] == "interrupted"
        assert "Aborted" not in result.stderr


class TestBadPluginResults:
    @pytest.mark.parametrize(
        ("body", "shown"), [("42", "42 (an int)"), ("None", "None (a NoneType)")]
    )
    def test_exporter_returning_no_text(self, invoke, site, body, shown):
        """An exporter returning neither text nor bytes fails naming its plugin."""
        site(odd=exporter(f"return {body}"))

        result = invoke("check", example(), "--as-of", AS_OF, "--format", "odd")

        assert (3, "") == (result.exit_code, result.stdout)
        assert (
            f"format 'odd' (plugin odd) failed: it returned {shown} "
            "instead of text or bytes"
        ) in result.stderr

    def test_importer_returning_non_engagements(self, invoke, site, tmp_path):
        """An importer returning bare data is a plugin error naming it, exit 3."""
        site(odd=importer("return [{'id': 'a'}]"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")

        result = invoke("check", "team.odd", "good.yaml", "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert (
            "error: plugin 'odd': importer 'odd' returned [{'id': 'a'}] (a list) "
            "instead of outsourcekit.plugins.Imported (reading team.odd)"
        ) in result.stderr
        assert "Traceback" not in result.stderr

    def test_importer_returning_a_number(self, invoke, site, tmp_path):
        """What an importer returned instead of data is named with its kind."""
        site(odd=importer("return 7"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        result = invoke("check", "team.odd", "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert (
            "error: plugin 'odd': importer 'odd' returned 7 (an int) "
            "instead of outsourcekit.plugins.Imported (reading team.odd)"
        ) in result.stderr

    def test_importer_raising_oserror(self, invoke, site, tmp_path):
        """An importer raising OSError is a plugin error (exit 3), not a load error."""
        site(odd=importer("raise OSError('no network')"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        result = invoke("check", "team.odd", "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert (
            "error: plugin 'odd': importer 'odd' raised OSError: no network "
            "(reading team.odd)"
        ) in result.stderr

    def test_importer_exiting(self, invoke, site, tmp_path):
        """An importer calling sys.exit() is a plugin error, exit 3."""
        site(odd=importer("sys.exit(0)"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        result = invoke("check", "team.odd", "--as-of", AS_OF)

        assert 3 == result.exit_code
        assert "importer 'odd' raised SystemExit: 0" in result.stderr


class TestSameFileTwice:
    def test_checked_once(self, invoke, tmp_path):
        """The same file named twice gives no duplicate id against itself."""
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "same.yaml").symlink_to(tmp_path / "good.yaml")
        once = invoke("check", "good.yaml", "--as-of", AS_OF)

        twice = invoke("check", "good.yaml", "same.yaml", "--as-of", AS_OF)

        assert (once.exit_code, once.stdout) == (twice.exit_code, twice.stdout)

    @pytest.mark.parametrize(
        "paths", [["good.yaml", "same.yaml"], ["."]], ids=["named", "walked"]
    )
    def test_checked_once_with_jobs(self, invoke, tmp_path, paths):
        """Worker processes read a file reached by two paths once, as one process."""
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "same.yaml").symlink_to(tmp_path / "good.yaml")
        args = ("check", *paths, "--as-of", AS_OF, "-f", "concise")

        one, two = (invoke(*args, "--jobs", n) for n in (1, 2))

        assert "" == two.stderr
        assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)


class TestUnreadableFile:
    def test_named_file_is_a_load_error(self, invoke, tmp_path, monkeypatch):
        """A named file that cannot be read is a load error; the others are checked."""
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
        secret = tmp_path / "secret.yaml"
        secret.write_text("id: secret\n", encoding="utf-8")
        secret.chmod(0)
        # Refused for the superuser too, whom the mode does not stop.
        real_access, real_open = os.access, io.open

        def access(path, mode, *args, **kwargs):
            if os.fspath(path) == "secret.yaml":
                return False
            return real_access(path, mode, *args, **kwargs)

        def opened(file, *args, **kwargs):
            if os.fspath(file) == "secret.yaml":
                raise PermissionError(13, "Permission denied", "secret.yaml")
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        replace_call(monkeypatch, "open", opened)

        result = invoke(
            "check", "secret.yaml", "good.yaml", "-f", "concise", "--as-of", AS_OF
        )

        assert (
            "secret.yaml: error load-error cannot read the file: Permission denied\n"
        ) in result.stdout
        assert "1 engagement, " in result.stdout
        assert 2 == result.exit_code

    def test_named_file_in_a_shut_folder(self, invoke, tmp_path, monkeypatch):
        """A file in a folder that cannot be searched is worded as one unreadable."""
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "shut").mkdir()
        (tmp_path / "shut" / "c.yaml").write_text("id: c\n", encoding="utf-8")
        real_stat = os.stat

        def stat(path, *args, **kwargs):
            if os.fspath(path).startswith("shut/"):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real_stat(path, *args, **kwargs)

        replace_call(monkeypatch, "stat", stat)

        result = invoke(
            "check", "shut/c.yaml", "good.yaml", "-f", "concise", "--as-of", AS_OF
        )

        assert (
            "shut/c.yaml: error load-error cannot read the file: Permission denied\n"
        ) in result.stdout
        assert "1 engagement, " in result.stdout
        assert 2 == result.exit_code


class TestWorkingDirectoryGone:
    def test_check(self, invoke, tmp_path, monkeypatch):
        """A working directory removed under the shell is told, with no traceback."""
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")

        def gone() -> str:
            raise FileNotFoundError(2, "No such file or directory")

        monkeypatch.setattr(os, "getcwd", gone)

        result = invoke("check", tmp_path / "good.yaml", "--as-of", AS_OF)

        assert (
            "Error: the working directory cannot be read (No such file or "
            "directory): run outsourcekit from a folder that exists\n"
        ) == result.stderr
        assert 2 == result.exit_code


class TestBrokenLink:
    @pytest.mark.parametrize(
        ("target", "problem"),
        [
            ("moved.yaml", "a link to nothing: moved.yaml"),
            (
                "b.yaml",
                "a link that cannot be followed: too many levels of symbolic links",
            ),
        ],
    )
    def test_named(self, invoke, tmp_path, target, problem):
        """A link named that cannot be followed is a load error saying why."""
        (tmp_path / "a.yaml").symlink_to(target)
        (tmp_path / "b.yaml").symlink_to("a.yaml")

        result = invoke("check", "a.yaml", "-q", "--as-of", AS_OF)

        assert f"error: a.yaml: {problem}\n" == result.stderr
        assert 2 == result.exit_code


OTHER_ENGAGEMENT_RULE = textwrap.dedent(
    """\
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST970", slug="about-the-nurse", title="t", category="governance",
          severity="info", fix="f")
    def about_the_nurse(engagement, ctx):
        yield ctx.finding("About the nurse", path="id", engagement="nurse-1")

    @hookimpl
    def outsourcekit_register_rules():
        return [about_the_nurse]
    """
)


class TestRuleOfAnotherEngagement:
    def test_same_with_jobs(self, run, site, tmp_path):
        """A rule naming another engagement fails alike in one process and in two."""
        env = site(nurse=OTHER_ENGAGEMENT_RULE)
        for eid in ("alpha", "beta", "nurse-1", "zeta"):
            (tmp_path / f"{eid}.yaml").write_text(f"id: {eid}\n", encoding="utf-8")
        args = ("check", ".", "--as-of", AS_OF, "-f", "json", "--select", "TST970")

        one, two = (run(*args, "--jobs", n, env=env) for n in (1, 2))

        assert 3 == one.returncode == two.returncode
        assert one.stdout == two.stdout
        report = json.loads(one.stdout)
        assert ["nurse-1"] == [f["engagement"] for f in report["findings"]]
        assert [("TST970", "alpha"), ("TST970", "beta"), ("TST970", "zeta")] == [
            (e["rule"], e["engagement"]) for e in report["rule_errors"]
        ]
        assert (
            "a portfolio rule (scope='portfolio' with facts=)"
            in (report["rule_errors"][0]["message"])
        )


UNLESS_TEXT_RULE = textwrap.dedent(
    """\
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST971", slug="unless-text", title="t", category="governance",
          severity="info", fix="f", scope="findings")
    def unless_text(engagement, ctx):
        yield ctx.finding("Stale waiver", path="id", unless="TST971")

    @hookimpl
    def outsourcekit_register_rules():
        return [unless_text]
    """
)


class TestUnlessNotAWaiver:
    def test_same_with_jobs(self, run, site, tmp_path):
        """unless= given text is a rule error of that rule, in one process or two."""
        env = site(unless=UNLESS_TEXT_RULE)
        for eid in ("alpha", "beta"):
            (tmp_path / f"{eid}.yaml").write_text(f"id: {eid}\n", encoding="utf-8")
        args = ("check", ".", "--as-of", AS_OF, "-f", "json")

        one, two = (run(*args, "--jobs", n, env=env) for n in (1, 2))

        assert 3 == one.returncode == two.returncode
        assert one.stdout == two.stdout
        report = json.loads(one.stdout)
        assert report["findings"]
        assert ([], ["TST971", "TST971"]) == (
            report["errors"],
            [e["rule"] for e in report["rule_errors"]],
        )
        assert [
            (
                "alpha",
                (
                    "rule TST971: unless= takes a waiver "
                    "(outsourcekit.model.Waiver), got 'TST971' (text)"
                ),
            ),
            (
                "beta",
                (
                    "rule TST971: unless= takes a waiver "
                    "(outsourcekit.model.Waiver), got 'TST971' (text)"
                ),
            ),
        ] == [(e["engagement"], e["message"]) for e in report["rule_errors"]]


class TestErrorsOnStderr:
    def test_file_text_cannot_drive_the_terminal_or_the_runner(self, invoke, tmp_path):
        """What a file holds shows escaped on stderr: no forged line, no ESC."""
        key = "=x\n::error::forged\r\u0000\u001b[31m\u202e"
        (tmp_path / "e.json").write_text(
            json.dumps({"id": "e", key: 1}), encoding="utf-8"
        )

        result = invoke("check", "e.json", "--as-of", AS_OF, "-f", "github")

        assert 2 == result.exit_code
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: e.json:1:")
        assert "\\n::error::forged\\r\\x00\\x1b[31m\\u202e" in line
