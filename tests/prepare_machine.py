"""Make sure the machine has what the browser tests need: Debian's Chromium.

Playwright's own browser download is never used; when /usr/bin/chromium is missing and we run as
root on Debian, it is installed with apt-get."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def main() -> int:
    if CHROMIUM.exists():
        return 0
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(
            "Browser tests need Debian's chromium at /usr/bin/chromium. "
            "Install it with: sudo apt-get install chromium",
            file=sys.stderr,
        )
        return 1
    print("Installing Debian's chromium for the browser tests ...", flush=True)
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core"],
        check=True,
        env=environment,
    )
    return 0 if CHROMIUM.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
