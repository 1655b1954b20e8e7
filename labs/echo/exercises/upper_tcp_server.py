"""Exercise: an uppercase echo server over TCP.

Right now this server accepts one client at a time and reads what it sends, but
answers nothing. Your job: send every message back in capital letters, so a
client that sends b"hello" gets b"HELLO" on the same connection, and close the
connection when the client closes its side.

Run it from Socket Labs (or `python3 upper_tcp_server.py` in a terminal), then
open a TCP console to it and type a few lines. Look for the lines marked TODO.
Ctrl+C (or Stop) ends the server.

Questions to answer while you work:
- how does the server know that the client has closed the connection?
- how many bytes does the reply have, compared with the message?

    python3 upper_tcp_server.py [--port PORT]
"""

import argparse
import socket

HOST = "127.0.0.1"  # loopback: only this machine can reach the server
PORT = 50030  # the Echo lab's port
CHUNK = 1024  # the most one recv() hands back at a time


def serve(conn, address):
    print(f"connected: {address}", flush=True)
    while True:
        data = conn.recv(CHUNK)
        # TODO 1: recv() returns b"" once the client has closed its side.
        # Leave this loop when that happens.

        # TODO 2: send the message back in capitals on this connection
        # (bytes have an .upper() method; sendall() sends every byte).
        print(f"{address[0]}:{address[1]} sent {data!r}", flush=True)
    conn.close()
    print(f"closed: {address}", flush=True)


def main():
    parser = argparse.ArgumentParser(description="Uppercase echo server over TCP.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))
    server.listen()
    print(f"listening on {HOST}:{port} (Ctrl+C to stop)", flush=True)
    try:
        while True:
            conn, address = server.accept()
            serve(conn, address)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
