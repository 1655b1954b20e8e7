"""Uppercase server over TCP: each message comes back in capital letters.

Protocol (see specs/upper.md), as the course's server: each recv(1024) is one message and
comes back in capitals, no newline added. With --line: one message per line; each line
gets one line back, and a line over 200 bytes gets an error.

    python3 upper_tcp_server.py [--port PORT] [--line]

One thread per client, so several clients are served at once. Ctrl+C stops it.
"""

import argparse
import socket
import threading

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest line we accept, newline not counted.
MAX_LINE = 200


def answer(line):
    """The reply line to one request line (without its newline)."""
    return line.decode("utf-8", errors="replace").upper()

# Set from --line in main(). Off: the course's way, each recv(1024) is one message.
LINE_MODE = False


def serve_chunks(conn, name):
    """The course's way: whatever one recv(1024) returns comes back in capitals, no newline."""
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                print(f"{name}: end of stream", flush=True)
                break
            conn.sendall(answer(data).encode("utf-8"))
    except ConnectionResetError:
        print(f"{name}: the client reset the connection", flush=True)
    finally:
        conn.close()


def handle_client(conn, name):
    """Runs in its own thread: answer one client, line by line, until it leaves."""
    if not LINE_MODE:
        return serve_chunks(conn, name)
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
    parser = argparse.ArgumentParser(description="The uppercase server over TCP.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    parser.add_argument("--line", action="store_true", help="one message per line (framing step)")
    global LINE_MODE
    args = parser.parse_args()
    port = args.port
    LINE_MODE = args.line
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
