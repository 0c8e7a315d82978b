print("binance-shell")
