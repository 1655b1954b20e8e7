"""Uppercase echo over TCP: whatever a client sends comes back in capital letters.

One recv() is one message and the reply is the same bytes upper-cased, nothing
added: no newline, no greeting. The server talks to one client until that client
closes, then goes back to accept() for the next one.

    python3 upper_tcp_server.py [--port PORT]

Ctrl+C stops it.
"""

import argparse
import socket

# Loopback only: nothing outside this machine can connect.
HOST = "127.0.0.1"
PORT = 50030
# The most one recv() hands us at a time.
CHUNK = 1024


def serve(conn, address):
    """Answer one client until it closes its side of the connection."""
    print(f"connected: {address}", flush=True)
    while True:
        data = conn.recv(CHUNK)  # anchor: recv
        if not data:  # anchor: eof
            # b"" means the client closed: end-of-stream, nothing more will come.
            break
        # bytes.upper() changes a-z only, so the reply has exactly as many bytes.
        conn.sendall(data.upper())  # anchor: send
    conn.close()  # anchor: close-conn
    print(f"closed: {address}", flush=True)


def main():
    parser = argparse.ArgumentParser(description="Uppercase echo server over TCP.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    # Lets a restarted server bind again at once, while old connections wind down.
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))  # anchor: bind
    server.listen()  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)
    try:
        while True:
            # Waits here until a client has connected (the handshake is already done).
            conn, address = server.accept()  # anchor: accept
            serve(conn, address)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
