"""Starts the benchmark's processes and guarantees they stop.

Invariants: every process is started through Supervisor.start, in its own session (so a Ctrl-C
in the terminal reaches only the driver, which then stops them in order), pinned to one core
with taskset, with stdout and stderr in one log file. Supervisor.stop_all sends SIGTERM to each
by PID, newest first, waits, and SIGKILLs only what is still alive in the process group that
same start created.
Nothing is ever looked up or signalled by name.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path


class StartError(Exception):
    """A process did not come up; the message says which and where its log is."""


class Supervisor:
    def __init__(self) -> None:
        self._started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], log: Path, cpu: int) -> subprocess.Popen:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            process = subprocess.Popen(["taskset", "-c", str(cpu), *argv], stdout=out,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        self._started.append((name, process))
        return process

    def forget(self, process: subprocess.Popen) -> None:
        self._started = [(n, p) for n, p in self._started if p is not process]

    def stop(self, process: subprocess.Popen, grace_s: float = 5.0) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                # Still alive, so its process group is certainly the one start() created.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=grace_s)
        # Members of its group that outlived it (a worker whose master died first): a group
        # id is not reused while any member lives, so these are ours.
        for pid in _group_members(process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.forget(process)

    def stop_all(self) -> None:
        for _, process in reversed(list(self._started)):
            self.stop(process)


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[2]) == pgid:   # field 5, pgrp
            members.append(int(entry))
    return members


def wait_for_line(process: subprocess.Popen, log: Path, pattern: str,
                  deadline_s: float) -> re.Match:
    """Waits until `log` has a line matching `pattern`; raises StartError if the process exits
    first or the deadline passes."""
    regex = re.compile(pattern)
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        text = log.read_text(errors="replace") if log.exists() else ""
        for line in text.splitlines():
            match = regex.search(line)
            if match:
                return match
        if process.poll() is not None:
            raise StartError(f"exited with status {process.returncode} before printing "
                             f"'{pattern}' (see {log})")
        time.sleep(0.05)
    raise StartError(f"did not print '{pattern}' within {deadline_s:.0f} s (see {log})")
