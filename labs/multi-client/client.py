"""Multi-client over TCP: the client.

It connects, sends PING a number of times over that one connection (pausing
between them if you ask it to), prints how long each PONG took, then closes.
Run several at once to see how the server copes with more than one client.

    python3 client.py [--port PORT] [--count N] [--pause SECONDS] [--name NAME]

Start sequential_server.py or threaded_server.py (or one of the app's servers) first.
"""

import argparse
import socket
import sys
import time

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50009


def read_arguments():
    """Return the parsed command line: port, count, pause and name."""
    parser = argparse.ArgumentParser(description="A PING/PONG client.")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument("--count", type=int, default=5, help="how many PINGs to send")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between PINGs")
    parser.add_argument("--name", default="client", help="a name for the printed lines")
    parser.add_argument(
        "--line", action="store_true", help="send PING\\n and read PONG\\n lines (the framing step)"
    )
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535 or args.count < 1 or args.pause < 0:
        parser.error("port 1024-65535, count at least 1, pause not negative")
    return args


def main():
    args = read_arguments()
    # A TCP socket: IPv4 addresses (AF_INET) and a reliable byte stream (SOCK_STREAM).
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    started = time.perf_counter()
    try:
        # Returns once the kernels have done the handshake, even if the server is busy
        # with another client and has not called accept() for us yet.
        client.connect((HOST, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"{args.name}: connection refused, nothing listens on port {args.port}", flush=True)
        client.close()
        sys.exit(1)
    print(f"{args.name}: connected", flush=True)
    # makefile() lets us read the server's replies one whole line at a time.
    reader = client.makefile("rb")

    for number in range(1, args.count + 1):
        sent_at = time.perf_counter()
        # The course's way: b"PING" with no newline, one recv() per reply. With --line, one
        # message is one line: the newline tells the server where it ends.
        client.sendall(b"PING\n" if args.line else b"PING")  # anchor: send
        # Wait for the reply. With a sequential server this is where a second client
        # waits, its PING sitting unread, until the first client has left.
        reply = reader.readline() if args.line else client.recv(1024)  # anchor: recv
        if not reply:
            print(f"{args.name}: the server closed the connection", flush=True)
            break
        waited_ms = (time.perf_counter() - sent_at) * 1000
        print(f"{args.name}: ping {number}: {reply.strip().decode()} in {waited_ms:.1f} ms", flush=True)
        # Pause before the next PING (not after the last one), so people can follow along.
        if number < args.count:
            time.sleep(args.pause)

    reader.close()
    # Closing sends our FIN; the server's read then returns b'' (end of stream).
    client.close()  # anchor: close
    total = time.perf_counter() - started
    print(f"{args.name}: closed after {total:.2f} s", flush=True)


if __name__ == "__main__":
    main()
