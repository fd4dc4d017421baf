"""The README's two commands: the first runs cop on a new database with the demo, the second is
what CI runs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cop import PROJECT_ROOT
from tests.mailserver import free_port


def readme_commands() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text()
    first_block = re.search(r"```[^\n]*\n(.*?)```", readme, flags=re.S).group(1)
    return [line for line in first_block.splitlines() if line.strip()]


def test_the_readme_starts_with_the_run_command_then_the_test_command() -> None:
    run, test = readme_commands()
    assert run.endswith("cop start")
    assert "pytest" in test
    assert test in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_cop_start_creates_the_database_loads_the_demo_and_serves_it(tmp_path: Path) -> None:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COP_")}
    environment["COP_INSTANCE_PATH"] = str(tmp_path / "instance")
    cop = Path(sys.executable).parent / "cop"
    server = subprocess.Popen(
        [str(cop), "start", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in") as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.3)
        assert "Sign in" in page
        assert (tmp_path / "instance" / "cop.sqlite").exists()
        assert (tmp_path / "instance" / "secret_key").exists()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=20)[0]
    assert "demo data of the Paris study visit added" in output
    for email in ("lead@glasgow.example", "hote@paris.example", "admin@cop.example"):
        assert email in output
    assert f"http://127.0.0.1:{port}/" in output
    # Its worker beside it, on a queue that needs no server.
    assert "A worker sends mail and does the background work beside it (sqlite:///" in output
    assert (tmp_path / "instance" / "queue.sqlite").exists()
