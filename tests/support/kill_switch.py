"""Run the fr2en CLI and SIGKILL it just before its Nth change to the file system.

``python kill_switch.py N ARGS...`` runs ``fr2en ARGS...``; every call of the ``os`` functions
that change files (``replace``, ``rename``, ``symlink``, ``link``, ``fsync``, ``unlink``, ``rmdir``,
``mkdir``) counts, and the Nth kills the process with SIGKILL: no handler, no cleanup, as a
power cut or an OOM kill would. With N = 0 nothing is killed and the count is printed on
stderr at exit (``file-system changes: C``), to pick N among the moments a run has.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys

CHANGES = ("replace", "rename", "symlink", "link", "fsync", "unlink", "rmdir", "mkdir")


def arm(kill_at: int) -> None:
    count = 0

    def wrap(real):
        def change(*args, **kwargs):
            nonlocal count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return change

    for name in CHANGES:
        setattr(os, name, wrap(getattr(os, name)))
    if not kill_at:
        atexit.register(lambda: print(f"file-system changes: {count}", file=sys.stderr))


if __name__ == "__main__":
    arm(int(sys.argv[1]))
    from fr2en_dossier.cli import main

    sys.argv = ["fr2en", *sys.argv[2:]]
    main()
