"""Drive two MCP stdio servers side by side and print wall time, CPU time, peak memory and per-call latency.

Usage:
  mcp_bench.py cold  --runs N --warmup W --ours BINARY --python PYTHON --wrapper WRAPPER --sim-url URL
  mcp_bench.py calls --calls N --warmup W --ours BINARY --python PYTHON --wrapper WRAPPER --sim-url URL

`cold` starts a server, sends `initialize`, `notifications/initialized` and `tools/list`, closes stdin and waits
for the exit; the two servers alternate. CPU time and peak memory come from `wait4`'s resource usage of the
server process. `calls` runs `get_ticker_price` on BTCUSDT N times in one session per server, both against the
loopback simulator at URL. Figures are printed; nothing is asserted.

The Python server always runs through WRAPPER, which points python-binance at URL and refuses any other address.
Every child gets a fresh working directory (so no `.env` is read), a minimal environment with
`no_proxy=127.0.0.1,localhost`, and obviously fake credentials. The Python server also gets
`FASTMCP_CHECK_FOR_UPDATES=off`, which stops FastMCP's release lookup on PyPI at start.
"""

import argparse
import json
import math
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FAKE_KEY = "benchmarkFakeApiKeyNotARealBinanceKey" + "0" * 27
FAKE_SECRET = "benchmarkFakeApiSecretNotARealBinanceSecret" + "0" * 21
PROTOCOL_VERSION = "2025-06-18"
EXIT_TIMEOUT_SECONDS = 120
REPLY_TIMEOUT_SECONDS = 120


def base_environment(home: str) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "LANG": "C.UTF-8",
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return env


class Server:
    """One server process on pipes, with JSON-RPC request and reply helpers."""

    def __init__(self, command: list, env: dict, workdir: str, stderr_path: str):
        self.stderr = open(stderr_path, "ab")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=workdir, env=env
        )
        self.buffer = b""
        self.next_id = 1
        self.skipped_lines = 0

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self.read_message()
            if message.get("id") == request_id and ("result" in message or "error" in message):
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message["result"]

    def read_message(self) -> dict:
        """Returns the next JSON object on stdout; lines that are not JSON (banners) are counted and skipped."""
        deadline = time.monotonic() + REPLY_TIMEOUT_SECONDS
        fd = self.process.stdout.fileno()
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line, self.buffer = self.buffer[:newline], self.buffer[newline + 1 :]
                try:
                    message = json.loads(line)
                except ValueError:
                    self.skipped_lines += 1
                    continue
                if isinstance(message, dict):
                    return message
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the server sent no reply within %d s" % REPLY_TIMEOUT_SECONDS)
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise EOFError("the server closed stdout")
                self.buffer += chunk

    def initialize(self) -> None:
        self.request(
            "initialize",
            {
                "protocolVersion": PROTOCOL_VERSION,
                "capabilities": {},
                "clientInfo": {"name": "binance-shell-bench", "version": "1"},
            },
        )
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def close_and_wait(self):
        """Closes stdin, waits for the exit and returns (wall seconds, CPU seconds, peak RSS KiB, status)."""
        self.process.stdin.close()
        deadline = time.monotonic() + EXIT_TIMEOUT_SECONDS
        while True:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                self.process.kill()
                pid, status, usage = os.wait4(self.process.pid, 0)
                break
            time.sleep(0.001)
        wall = time.perf_counter() - self.started
        self.process.returncode = os.waitstatus_to_exitcode(status)
        self.process.stdout.close()
        self.stderr.close()
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, self.process.returncode


def ours(args, workdir: str, for_calls: bool) -> tuple:
    env = base_environment(workdir)
    env["BINANCE_SHELL_HOME"] = os.path.join(workdir, "home")
    if for_calls:
        env.update(
            {
                "BINANCE_BASE_URL": args.sim_url,
                "BINANCE_API_KEY": FAKE_KEY,
                "BINANCE_API_SECRET": FAKE_SECRET,
                "MCP_RATE_LIMIT_ENABLED": "false",
            }
        )
    return [args.ours, "--mcp"], env


def theirs(args, workdir: str, for_calls: bool) -> tuple:
    env = base_environment(workdir)
    # FastMCP looks up its newest release on PyPI at start unless this is off; the wrapper would reject it anyway.
    env.update({"BINANCE_API_KEY": FAKE_KEY, "BINANCE_API_SECRET": FAKE_SECRET, "FASTMCP_CHECK_FOR_UPDATES": "off"})
    if for_calls:
        env["MCP_RATE_LIMIT_ENABLED"] = "false"
    return [args.python, args.wrapper, args.sim_url], env


def cold_run(make, args, stderr_path: str):
    workdir = tempfile.mkdtemp(prefix="mcp-bench-")
    try:
        command, env = make(args, workdir, False)
        server = Server(command, env, workdir, stderr_path)
        server.initialize()
        listed = server.request("tools/list", {})
        tool_count = len(listed.get("tools", []))
        wall, cpu, peak, status = server.close_and_wait()
        if tool_count == 0:
            raise RuntimeError("tools/list returned no tools")
        return wall, cpu, peak, status, tool_count
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def spread(values, scale=1.0, digits=1) -> str:
    ordered = sorted(v * scale for v in values)
    return "median %.*f (min %.*f, max %.*f; %d runs)" % (
        digits, statistics.median(ordered), digits, ordered[0], digits, ordered[-1], len(ordered))


def percentile(values, rank: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(rank / 100 * len(ordered)) - 1))
    return ordered[index]


def run_cold(args) -> None:
    servers = [("binance-shell --mcp", ours), ("binance-mcp-server (Python)", theirs)]
    results = {name: [] for name, _ in servers}
    tools = {}
    for round_number in range(args.warmup + args.runs):
        for name, make in servers:
            wall, cpu, peak, status, tool_count = cold_run(make, args, args.stderr_log)
            if status != 0:
                print(f"note: {name} exited with status {status} (stderr in {args.stderr_log})")
            tools[name] = tool_count
            if round_number >= args.warmup:
                results[name].append((wall, cpu, peak))
    print(f"cold MCP session: initialize + tools/list + close stdin + exit; {args.warmup} warm-up round(s), "
          f"then {args.runs} alternating runs each")
    medians = {}
    for name, _ in servers:
        rows = results[name]
        walls, cpus, peaks = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
        medians[name] = (statistics.median(walls), statistics.median(cpus), statistics.median(peaks))
        print(f"  {name}: {tools[name]} tools")
        print(f"    wall time    {spread(walls, 1000)} ms")
        print(f"    CPU time     {spread(cpus, 1000)} ms (user + system)")
        print(f"    peak memory  {spread(peaks, 1 / 1024)} MiB (max RSS)")
    mine, other = medians[servers[0][0]], medians[servers[1][0]]
    print(f"  ratio of medians (Python / ours): wall {other[0] / mine[0]:.1f}x, CPU {other[1] / mine[1]:.1f}x, "
          f"peak memory {other[2] / mine[2]:.1f}x (ours is {100 * mine[2] / other[2]:.0f} % of Python's)")
    print(f"  target: wall time at least 50x lower, peak memory at most 25 % of Python's "
          f"(this run: {other[0] / mine[0]:.1f}x, {100 * mine[2] / other[2]:.0f} %)")


def run_calls(args) -> None:
    servers = [("binance-shell --mcp", ours), ("binance-mcp-server (Python)", theirs)]
    print(f"one tool call: get_ticker_price BTCUSDT, {args.warmup} warm-up calls then {args.calls} timed calls "
          f"in one session per server, against the loopback simulator")
    medians = {}
    for name, make in servers:
        workdir = tempfile.mkdtemp(prefix="mcp-bench-")
        try:
            command, env = make(args, workdir, True)
            server = Server(command, env, workdir, args.stderr_log)
            server.initialize()
            latencies = []
            failures = 0
            price = None
            for index in range(args.warmup + args.calls):
                started = time.perf_counter()
                result = server.request("tools/call", {"name": "get_ticker_price", "arguments": {"symbol": "BTCUSDT"}})
                elapsed = time.perf_counter() - started
                if result.get("isError"):
                    failures += 1
                    if failures == 1:
                        print(f"  {name}: call failed: {json.dumps(result)[:300]}")
                else:
                    price = price or json.dumps(result.get("structuredContent") or result.get("content"))[:120]
                if index >= args.warmup:
                    latencies.append(elapsed)
            server.close_and_wait()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        medians[name] = statistics.median(latencies)
        ms = [v * 1000 for v in latencies]
        print(f"  {name}: {failures} failed calls; a result: {price}")
        print(f"    latency per call  median {statistics.median(ms):.3f} ms, p99 {percentile(ms, 99):.3f} ms "
              f"(min {min(ms):.3f}, max {max(ms):.3f} ms; {len(ms)} calls)")
    mine, other = medians[servers[0][0]], medians[servers[1][0]]
    print(f"  ratio of medians (Python / ours): {other / mine:.1f}x")
    print(f"  target: median latency at least 10x lower (this run: {other / mine:.1f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["cold", "calls"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--ours", required=True)
    parser.add_argument("--python", required=True)
    parser.add_argument("--wrapper", required=True)
    parser.add_argument("--sim-url", required=True)
    parser.add_argument("--stderr-log", default=os.devnull)
    args = parser.parse_args()
    # Servers run in their own working directories, so relative paths are resolved here first.
    args.ours, args.python, args.wrapper = (os.path.abspath(p) for p in (args.ours, args.python, args.wrapper))
    if args.mode == "cold":
        run_cold(args)
    else:
        run_calls(args)


if __name__ == "__main__":
    main()
