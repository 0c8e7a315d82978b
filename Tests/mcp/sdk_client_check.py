#!/usr/bin/env python3
"""Drive `binance-shell --mcp` with the official MCP Python SDK and check what it serves.

The server runs on the built-in simulated exchange: a fresh BINANCE_SHELL_HOME and no API key.
The check connects twice, once with the initialize handshake (2025-11-25) and once in the SDK's
default "auto" mode, which probes server/discover and then speaks the stateless 2026-07-28
revision. Each time it lists every tool page by page, validates every schema, calls each
read-only tool with arguments built from its schema, and validates every result against the
tool's outputSchema. Prints one line per problem and exits with status 1 if there was any.

Usage: sdk_client_check.py [--binary PATH]
"""

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile

import jsonschema
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError

TOOL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
HINTS = ("readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
# Tools whose result must be a success on the simulator. The others may report an error, such as
# a futures or wallet endpoint the simulator does not serve, as long as the error object is well
# formed.
MUST_SUCCEED = {
    "get_ticker_price",
    "get_ticker",
    "get_order_book",
    "get_available_assets",
    "get_balance",
    "get_orders",
    "get_status",
    "get_symbol_info",
    "get_avg_price",
    "get_klines",
    "get_recent_trades",
    "get_open_orders",
    "preview_order",
}
# Error types that mean the server itself failed, which no read-only call should produce.
SERVER_FAULTS = {"internal_error"}


class Report:
    """Collects problems so one run shows all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, message: str) -> None:
        self.problems.append(message)
        print(f"FAIL {message}", flush=True)

    def check(self, condition: bool, message: str) -> bool:
        if not condition:
            self.fail(message)
        return condition


def argument_for(name: str, schema: dict) -> object:
    """Return a sensible value for one parameter, from its name and schema."""
    if "enum" in schema:
        preferred = {"interval": "1h", "account_type": "SPOT"}.get(name)
        return preferred if preferred in schema["enum"] else schema["enum"][0]
    if "symbol" in name:
        return "BTCUSDT"
    if name in ("coin", "asset", "quote_asset"):
        return "USDT"
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds:
        return schema.get("default", schema.get("minimum", 1))
    if "boolean" in kinds:
        return False
    return "1"


# Arguments that a schema alone cannot suggest: a complete MARKET order to preview, and an order id
# that does not exist (the tool must say so in a well-formed error).
EXPLICIT_ARGUMENTS = {
    "preview_order": {"symbol": "BTCUSDT", "side": "BUY", "order_type": "MARKET", "quantity": "0.001"},
    "get_order": {"symbol": "BTCUSDT", "order_id": 1},
}


def arguments_for(tool) -> dict:
    if tool.name in EXPLICIT_ARGUMENTS:
        return dict(EXPLICIT_ARGUMENTS[tool.name])
    schema = tool.input_schema or {}
    properties = schema.get("properties", {})
    arguments = {name: argument_for(name, properties.get(name, {})) for name in schema.get("required", [])}
    if "symbol" in properties and "symbol" not in arguments:
        arguments["symbol"] = "BTCUSDT"
    if tool.name == "get_available_assets" and "limit" in properties:
        arguments["limit"] = 5
    return arguments


def check_tool_listing(report: Report, tools: list, label: str) -> None:
    names = [tool.name for tool in tools]
    report.check(len(names) == len(set(names)), f"[{label}] tool names repeat: {names}")
    report.check(len(tools) > 0, f"[{label}] tools/list returned no tools")
    for tool in tools:
        where = f"[{label}] {tool.name}"
        report.check(bool(TOOL_NAME.match(tool.name)), f"{where}: invalid tool name")
        report.check(bool(tool.title), f"{where}: missing title")
        report.check(bool(tool.description), f"{where}: missing description")
        for kind, schema in (("inputSchema", tool.input_schema), ("outputSchema", tool.output_schema)):
            if not report.check(isinstance(schema, dict), f"{where}: {kind} missing"):
                continue
            report.check(schema.get("type") == "object", f"{where}: {kind} root type is not object")
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as error:
                report.fail(f"{where}: {kind} is not valid JSON Schema: {error.message}")
        annotations = tool.annotations.model_dump(by_alias=True) if tool.annotations else {}
        for hint in HINTS:
            report.check(isinstance(annotations.get(hint), bool), f"{where}: annotation {hint} missing")


def check_result(report: Report, tool, result, label: str) -> None:
    where = f"[{label}] {tool.name}"
    structured = result.structured_content
    if not report.check(isinstance(structured, dict), f"{where}: no structuredContent"):
        return
    try:
        jsonschema.validate(structured, tool.output_schema)
    except jsonschema.ValidationError as error:
        report.fail(f"{where}: structuredContent does not match outputSchema: {error.message}")
    texts = [block.text for block in result.content if getattr(block, "type", None) == "text"]
    report.check(
        bool(texts) and json.loads(texts[0]) == structured,
        f"{where}: text block differs from structuredContent",
    )
    report.check(structured.get("success") is (not result.is_error), f"{where}: isError disagrees with success")
    if result.is_error:
        error = structured.get("error", {})
        detail = f"{error.get('type')}: {error.get('message')}"
        report.check(tool.name not in MUST_SUCCEED, f"{where}: failed on the simulator ({detail})")
        report.check(error.get("type") not in SERVER_FAULTS, f"{where}: server fault ({detail})")
        print(f"note {where} returned an error: {detail}", flush=True)


async def run_session(report: Report, binary: str, home: str, mode: str, label: str, expected_version: str) -> None:
    parameters = StdioServerParameters(
        command=binary,
        args=["--mcp"],
        env={"BINANCE_SHELL_HOME": home, "no_proxy": "127.0.0.1,localhost", "MCP_MAX_REQUESTS_PER_MINUTE": "1000"},
    )
    async with Client(parameters, mode=mode, read_timeout_seconds=120) as client:
        report.check(
            client.protocol_version == expected_version,
            f"[{label}] negotiated {client.protocol_version}, expected {expected_version}",
        )
        info = client.server_info
        report.check(info is not None and info.name == "binance-shell", f"[{label}] serverInfo name: {info}")

        tools = []
        cursor = None
        for _ in range(100):
            page = await client.list_tools(cursor=cursor)
            tools.extend(page.tools)
            cursor = page.next_cursor
            if cursor is None:
                break
        check_tool_listing(report, tools, label)

        for tool in tools:
            annotations = tool.annotations
            if annotations is None or not annotations.read_only_hint:
                continue
            arguments = arguments_for(tool)
            try:
                result = await client.call_tool(tool.name, arguments)
            except Exception as error:  # a protocol error here is itself the finding
                report.fail(f"[{label}] {tool.name} {arguments}: call failed: {error!r}")
                continue
            check_result(report, tool, result, label)

        names = {tool.name for tool in tools}
        if "get_ticker_price" in names:
            result = await client.call_tool("get_ticker_price", {"symbol": "BTC/USDT"})
            structured = result.structured_content or {}
            report.check(result.is_error, f"[{label}] 'BTC/USDT' was accepted")
            report.check(
                structured.get("error", {}).get("type") == "validation_error",
                f"[{label}] 'BTC/USDT' gave {structured}",
            )
        try:
            await client.call_tool("no_such_tool", {})
            report.fail(f"[{label}] unknown tool did not raise a protocol error")
        except MCPError as error:
            report.check(error.code == -32602, f"[{label}] unknown tool gave code {error.code}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    default_binary = os.environ.get("BINANCE_SHELL_BINARY", os.path.join(root, ".build", "debug", "binance-shell"))
    parser.add_argument("--binary", default=default_binary, help="binance-shell executable to run")
    options = parser.parse_args()
    if not os.access(options.binary, os.X_OK):
        print(f"FAIL binance-shell executable not found at '{options.binary}': run 'swift build' first", flush=True)
        return 1

    report = Report()
    with tempfile.TemporaryDirectory(prefix="bsh-mcp-sdk-") as home:
        sessions = (("legacy", "handshake", "2025-11-25"), ("auto", "stateless", "2026-07-28"))
        for mode, label, version in sessions:
            try:
                await run_session(report, options.binary, home, mode, label, version)
            except Exception as error:
                report.fail(f"[{label}] session failed: {error!r}")
    if report.problems:
        print(f"{len(report.problems)} problem(s) found", flush=True)
        return 1
    print("ok: every check passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
