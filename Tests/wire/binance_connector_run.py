#!/usr/bin/env python3
"""Drive a simulator with Binance's own Python connector (binance-connector) and check every answer.

Reads BINANCE_BASE_URL (a loopback URL such as http://127.0.0.1:43123), BINANCE_API_KEY and
BINANCE_API_SECRET from the environment. Runs: server time, exchangeInfo, a ticker, account, a LIMIT
order, its query, its cancel, a MARKET order and my trades. Prints one line per step and exits 1 on the
first failure, 2 when the environment is incomplete or the URL is not a loopback address.
"""
import os
import sys
import time
from decimal import ROUND_DOWN, Decimal
from urllib.parse import urlparse

SYMBOL = "BTCUSDT"


def fail(step, message):
    print(f"FAIL {step}: {message}", file=sys.stderr)
    sys.exit(1)


def check(step, condition, message):
    if not condition:
        fail(step, message)
    print(f"ok   {step}")


def floor_to(value, step):
    return (value / step).to_integral_value(rounding=ROUND_DOWN) * step


def main():
    base_url = os.environ.get("BINANCE_BASE_URL", "")
    key = os.environ.get("BINANCE_API_KEY", "")
    secret = os.environ.get("BINANCE_API_SECRET", "")
    if not base_url or not key or not secret:
        print("Missing BINANCE_BASE_URL, BINANCE_API_KEY or BINANCE_API_SECRET.", file=sys.stderr)
        return 2
    host = urlparse(base_url).hostname or ""
    if not (host.startswith("127.") or host == "localhost"):
        print(f"Refusing to run against '{base_url}': expected a loopback simulator URL.", file=sys.stderr)
        return 2
    os.environ["no_proxy"] = "127.0.0.1,localhost"
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"

    from binance.error import ClientError
    from binance.spot import Spot

    client = Spot(api_key=key, api_secret=secret, base_url=base_url, timeout=10)
    try:
        server_time = client.time()["serverTime"]
        check("time", abs(server_time - int(time.time() * 1000)) < 60_000, f"serverTime {server_time} is far from now")

        info = client.exchange_info(symbol=SYMBOL)
        symbols = info.get("symbols", [])
        check("exchangeInfo", len(symbols) == 1 and symbols[0]["symbol"] == SYMBOL, f"unexpected symbols {symbols[:1]}")
        filters = {item["filterType"]: item for item in symbols[0]["filters"]}
        tick = Decimal(filters["PRICE_FILTER"]["tickSize"])
        step = Decimal(filters["LOT_SIZE"]["stepSize"])
        min_notional = Decimal(filters["NOTIONAL"]["minNotional"])

        price = Decimal(client.ticker_price(SYMBOL)["price"])
        check("ticker", price > 0, f"price {price}")

        account = client.account()
        balances = {item["asset"]: Decimal(item["free"]) for item in account["balances"]}
        check("account", balances.get("USDT", Decimal(0)) > 0, f"balances {balances}")

        limit_price = floor_to(price * Decimal("0.9"), tick)
        quantity = floor_to(min_notional * 2 / limit_price, step) + step
        order = client.new_order(
            symbol=SYMBOL, side="BUY", type="LIMIT", timeInForce="GTC",
            quantity=str(quantity), price=str(limit_price), newClientOrderId="wireLimit1",
        )
        check("limit order", order["status"] == "NEW" and order["clientOrderId"] == "wireLimit1", f"order {order}")

        queried = client.get_order(SYMBOL, orderId=order["orderId"])
        check("query", queried["status"] == "NEW" and Decimal(queried["origQty"]) == quantity, f"query {queried}")

        canceled = client.cancel_order(SYMBOL, orderId=order["orderId"])
        check("cancel", canceled["status"] == "CANCELED", f"cancel {canceled}")

        market = client.new_order(symbol=SYMBOL, side="BUY", type="MARKET", quantity=str(quantity))
        check("market order", market["status"] == "FILLED" and len(market.get("fills", [])) > 0, f"market {market}")

        trades = client.my_trades(SYMBOL)
        check("my trades", any(trade["orderId"] == market["orderId"] for trade in trades), f"trades {trades}")
    except ClientError as error:
        fail("request", f"HTTP {error.status_code}, code {error.error_code}: {error.error_message}")
    except Exception as error:  # noqa: BLE001 - any failure of the client must fail the run
        fail("request", f"{type(error).__name__}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
