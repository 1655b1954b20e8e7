"""Key-value server: SET, GET, DEL and KEYS over TCP, one store for all clients.

Protocol (see specs/kv.md): one command per line, one reply line each:
    SET name Alice -> OK        GET name -> VALUE Alice
    DEL name -> OK              KEYS -> KEYS name
Every mistake and every limit gets its own "ERROR ..." reply.

    python3 kv_server.py [--port PORT]

One thread per client; the store is shared, so a lock guards it. Ctrl+C stops it.
"""

import argparse
import socket
import threading

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest line we accept, newline not counted.
MAX_LINE = 200
MAX_KEY = 32
MAX_VALUE = 100
MAX_KEYS = 100

# The store: one dictionary for every client. It starts empty each time the server starts.
store = {}  # anchor: store
# Threads take turns with the store: a SET and a KEYS must not run at the same moment.
store_lock = threading.Lock()
USAGE = {
    "SET": "ERROR usage: SET <key> <value>",
    "GET": "ERROR usage: GET <key>",
    "DEL": "ERROR usage: DEL <key>",
    "KEYS": "ERROR usage: KEYS",
}

def answer(line):
    """The reply line to one command line (without its newline)."""
    words = line.decode("utf-8", errors="replace").strip().split(None, 1)
    if not words:
        return "ERROR empty command (use SET, GET, DEL, KEYS)"
    command = words[0].upper()
    rest = words[1].strip() if len(words) > 1 else ""
    if command not in USAGE:
        return f'ERROR unknown command "{words[0][:32]}" (use SET, GET, DEL, KEYS)'
    if command == "KEYS":
        if rest:
            return USAGE["KEYS"]
        with store_lock:
            return " ".join(["KEYS"] + sorted(store))
    # The key is the next word; for SET the value is everything after it.
    parts = rest.split(None, 1)
    key = parts[0] if parts else ""
    value = parts[1].strip() if len(parts) > 1 else ""
    if not key:
        return USAGE[command]
    with store_lock:
        if command == "SET":
            if not value:
                return USAGE["SET"]
            if len(key.encode()) > MAX_KEY:
                return f"ERROR key too long (max {MAX_KEY} bytes)"
            if len(value.encode()) > MAX_VALUE:
                return f"ERROR value too long (max {MAX_VALUE} bytes)"
            if key not in store and len(store) >= MAX_KEYS:
                return f"ERROR store full (max {MAX_KEYS} keys): DEL one first"
            store[key] = value
            return "OK"
        if value:
            return USAGE[command]
        if key not in store:
            return f'ERROR no such key "{key}"'
        if command == "GET":
            return "VALUE " + store[key]
        del store[key]
        return "OK"

def handle_client(conn, name):
    """Runs in its own thread: answer one client, line by line, until it leaves."""
    # makefile() lets us read whole lines; it calls recv() for us as often as needed.
    reader = conn.makefile("rb")
    try:
        while True:
            # Read up to the next newline, but never more than MAX_LINE + 2 bytes (\r\n).
            line = reader.readline(MAX_LINE + 2)  # anchor: recv
            # b"": the client closed its side. End of stream.
            if not line:  # anchor: eof
                print(f"{name}: end of stream", flush=True)
                break
            if not line.endswith(b"\n") or len(line.rstrip(b"\r\n")) > MAX_LINE:
                if not line.endswith(b"\n"):
                    if len(line) <= MAX_LINE:
                        # The client closed in the middle of a line: nothing to answer.
                        break
                    # Too long: drop the rest of this line, up to its newline.
                    while line and not line.endswith(b"\n"):
                        line = reader.readline(MAX_LINE + 2)
                reply = f"ERROR line too long (max {MAX_LINE} bytes)"
            else:
                reply = answer(line.rstrip(b"\n").removesuffix(b"\r"))
            # One reply line per request line.
            conn.sendall(reply.encode("utf-8") + b"\n")  # anchor: send
    except ConnectionResetError:
        print(f"{name}: the client reset the connection", flush=True)
    finally:
        reader.close()
        conn.close()  # anchor: close-conn


def main():
    parser = argparse.ArgumentParser(description="The key-value protocol server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
    # A TCP socket: IPv4 (AF_INET), a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))  # anchor: bind
    server.listen()  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)
    clients = 0
    try:
        while True:
            # Wait for the next client; each one gets its own thread.
            conn, address = server.accept()  # anchor: accept
            clients += 1
            name = f"client {clients} ({address[0]}:{address[1]})"
            threading.Thread(target=handle_client, args=(conn, name), daemon=True).start()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
