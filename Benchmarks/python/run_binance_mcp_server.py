"""Start the Python "Binance MCP Server" (PyPI binance-mcp-server) with every Binance URL on a loopback simulator.

Usage: run_binance_mcp_server.py http://127.0.0.1:PORT

Before anything else is imported or constructed, this wrapper
1. refuses every socket connection and name lookup outside 127.0.0.0/8 and ::1, and counts each attempt on stderr;
2. rewrites every URL class attribute of python-binance's BaseClient (spot, margin/sapi, futures, coin futures,
   options, portfolio margin, websocket, and their testnet and demo variants) to the loopback URL with the same
   path, so `Client()` and its ping at construction reach only the simulator.
Then it runs the package's own console entry point (`binance-mcp-server`, typer's `app`) on stdio.

Checked against binance-mcp-server 1.2.7 and python-binance 1.0.37: the server builds `binance.Client(api_key,
api_secret)` (which pings), pings again, and calls the client for every tool call; its own `config.base_url` is
only printed.
"""

import ipaddress
import socket
import sys
import urllib.parse


def loopback_base(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None or not ipaddress.ip_address(parts.hostname).is_loopback:
        raise SystemExit(f"Invalid simulator URL '{url}': expected http://127.0.0.1:PORT.")
    return f"http://{parts.hostname}:{parts.port}"


def is_loopback_host(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


blocked_attempts = 0


def refuse(what: str) -> OSError:
    global blocked_attempts
    blocked_attempts += 1
    print(f"BENCH_BLOCKED: refused {what} (attempt {blocked_attempts})", file=sys.stderr, flush=True)
    return OSError(f"benchmark wrapper: refused {what}; only loopback addresses are allowed")


def install_socket_guard() -> None:
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not is_loopback_host(host):
            raise refuse(f"name lookup of '{host}'")
        return real_getaddrinfo(host, *args, **kwargs)

    def allowed(sock, address) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True  # Unix sockets stay on this machine.
        return is_loopback_host(address[0])

    def guarded_connect(sock, address):
        if not allowed(sock, address):
            raise refuse(f"connection to '{address[0]}'")
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        if not allowed(sock, address):
            raise refuse(f"connection to '{address[0]}'")
        return real_connect_ex(sock, address)

    socket.getaddrinfo = guarded_getaddrinfo
    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex


def point_binance_client_at(base: str) -> list[str]:
    from binance.base_client import BaseClient  # Defines URL templates only; constructs no client.

    patched = []
    for name in dir(BaseClient):
        value = getattr(BaseClient, name)
        if not (name.endswith("_URL") and isinstance(value, str) and "://" in value):
            continue
        path = urllib.parse.urlsplit(value.replace("{}", "x")).path
        scheme_base = base.replace("http://", "ws://", 1) if value.startswith("ws") else base
        setattr(BaseClient, name, scheme_base + path)
        patched.append(name)
    leftover = [n for n in dir(BaseClient) if n.endswith("_URL") and "binance" in str(getattr(BaseClient, n))]
    if leftover:
        raise SystemExit(f"benchmark wrapper: URLs left pointing at Binance: {', '.join(leftover)}")
    return patched


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("Usage: run_binance_mcp_server.py http://127.0.0.1:PORT")
    base = loopback_base(sys.argv[1])
    install_socket_guard()
    patched = point_binance_client_at(base)
    print(f"BENCH_WRAPPER: {len(patched)} python-binance URLs point at {base}", file=sys.stderr, flush=True)

    from binance_mcp_server.cli import app

    sys.argv = ["binance-mcp-server"]
    app()


if __name__ == "__main__":
    main()
