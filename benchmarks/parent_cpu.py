"""One command's wall time, its own process's CPU time (read from /proc while it runs: a `precomment check
--jobs N` parent, without its workers) and every process's CPU time (the kernel's accounting of the children
waited for). Linux only. For BENCHMARKS.md, 'Two worker processes':

    python benchmarks/parent_cpu.py .venv/bin/precomment check DIR --jobs 2 --no-progress
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time


def own_cpu(pid: int) -> float | None:
    """User plus system CPU seconds of process `pid` alone (not its children), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    last = [0.0]

    def poll() -> None:
        while child.poll() is None:
            seen = own_cpu(child.pid)
            if seen is not None:
                last[0] = seen
            time.sleep(0.02)

    watcher = threading.Thread(target=poll)
    watcher.start()
    child.wait()
    watcher.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"wall {time.perf_counter() - started:.2f} s, the process's own CPU {last[0]:.2f} s, "
          f"every process's CPU {usage.ru_utime + usage.ru_stime:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
