"""What the benchmark reads from the kernel and from wrk: core ticks, process CPU and memory,
and wrk's report. Pure readers and parsers, no side effects.

Units: ticks are USER_HZ (os.sysconf("SC_CLK_TCK"), 100 per second on Linux), memory is KiB,
latency is microseconds.
"""

import os
import re
from dataclasses import dataclass

CLK_TCK = os.sysconf("SC_CLK_TCK")
US_PER_TICK = 1_000_000 / CLK_TCK


@dataclass(frozen=True)
class CoreTicks:
    """One core's counters from /proc/stat, in ticks since boot."""

    busy: int    # user + nice + system + irq + softirq: everything the core ran, kernel included
    steal: int   # time the hypervisor ran someone else while this core wanted to run
    total: int   # busy + idle + iowait + steal

    def __sub__(self, earlier: "CoreTicks") -> "CoreTicks":
        return CoreTicks(self.busy - earlier.busy, self.steal - earlier.steal,
                         self.total - earlier.total)

    def busy_percent(self) -> float:
        return 100.0 * self.busy / self.total if self.total > 0 else 0.0


def core_ticks(cpu: int) -> CoreTicks:
    prefix = f"cpu{cpu} "
    with open("/proc/stat") as stat:
        for line in stat:
            if line.startswith(prefix):
                # user nice system idle iowait irq softirq steal guest guest_nice; guest time is
                # already inside user, so it is not added again.
                f = [int(x) for x in line.split()[1:9]]
                busy = f[0] + f[1] + f[2] + f[5] + f[6]
                return CoreTicks(busy=busy, steal=f[7], total=busy + f[3] + f[4] + f[7])
    raise RuntimeError(f"/proc/stat has no line for cpu{cpu}")


def _stat_fields(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/PID/stat (after the command name, which may hold spaces)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (nginx workers, the Varnish child, ...)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def process_cpu_ticks(pids: list[int]) -> int:
    """User + system ticks of these processes, all their threads included. Softirq work the
    kernel does for their sockets is charged to them only when it runs in their context, so
    this is at most the core-0 figure, and unlike it, blind to other tenants of the core."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])   # utime, stime
    return total


def memory_kib(pids: list[int]) -> tuple[int, int]:
    """(sum of VmRSS, sum of Pss) over the processes. RSS counts shared memory once per
    process that maps it (an nginx keys zone, HAProxy's cache), PSS splits it among them."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                rss += next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
            with open(f"/proc/{pid}/smaps_rollup") as f:
                pss += next((int(l.split()[1]) for l in f if l.startswith("Pss:")), 0)
        except OSError:
            pass
    return rss, pss


@dataclass(frozen=True)
class WrkReport:
    requests: int         # responses completed
    seconds: float        # wrk's own run time
    p50_us: float
    p99_us: float
    non_2xx: int          # wrk counts status >= 400 here (its "Non-2xx or 3xx" line)
    socket_errors: int    # connect + read + write + timeout

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


_UNIT_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0, "m": 60_000_000.0}


def _duration_us(number: str, unit: str) -> float:
    return float(number) * _UNIT_US[unit]


def parse_wrk(output: str) -> WrkReport | None:
    """wrk 4.x `--latency` output, or None when it holds no result (wrk failed to run)."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)\b", output)
    if not done:
        return None
    # wrk 4.1 now and then prints a percentile as 0.00us (seen for 99% with pipelining) while
    # its max is milliseconds: no response takes 0 µs, so that is reported as unknown.
    percentiles = {p: _duration_us(n, u) or float("nan") for p, n, u in
                   re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    return WrkReport(
        requests=int(done.group(1)),
        seconds=_duration_us(done.group(2), done.group(3)) / 1_000_000,
        p50_us=percentiles.get("50", float("nan")),
        p99_us=percentiles.get("99", float("nan")),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in sockets.groups()) if sockets else 0,
    )


@dataclass(frozen=True)
class STimeReport:
    """One `openssl s_time -new|-reuse -www PATH` run: it makes one connection after another,
    each a handshake, one `GET PATH HTTP/1.0` and a read to the server's close, and prints a
    mark per connection: 'r' if the session was resumed, another letter or '*' if not."""

    connections: int      # s_time's own count of connections completed
    resumed: int          # 'r' marks
    full: int             # the other marks
    bytes_per_conn: int   # response bytes read per connection (head + body), s_time's figure


def parse_s_time(output: str) -> STimeReport | None:
    """OpenSSL 3.0 s_time output, or None when it holds no result (it could not connect)."""
    done = re.findall(r"(\d+) connections in \d+ real seconds, (\d+) bytes read per connection",
                      output)
    if not done:
        return None
    marks = "".join(re.findall(r"^([r*t3]+)$", output, re.M))
    return STimeReport(connections=int(done[-1][0]), resumed=marks.count("r"),
                       full=len(marks) - marks.count("r"), bytes_per_conn=int(done[-1][1]))
