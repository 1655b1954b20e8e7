"""Why framing matters: a relay that re-cuts a TCP byte stream.

It sits between a client and a server. Each client that connects gets its own
connection to the server, and the relay copies bytes both ways. On the way it can
change where one write ends and the next begins, as a real network may:

  --split N     forward in pieces of at most N bytes, a short pause between them
  --merge-ms M  keep reading for M milliseconds, then forward it all in one write

Every byte still arrives, in order: TCP promises that and nothing more. A program
that assumes one recv() returns exactly one message breaks here.

    python3 framing_relay.py [--port PORT] [--target-port PORT] [--split N] [--merge-ms M]

Start the server first (e.g. the calculator on 50020), then this relay, then point
your client at the relay's port. Press Ctrl+C to stop it.
"""

import argparse
import socket
import threading
import time

# The relay and the server both run on this machine.
HOST = "127.0.0.1"
# Clients connect here...
PORT = 50021
# ...and the relay forwards to the server here (the lab's port).
TARGET_PORT = 50020
# The pause between two pieces of a split, so that each travels on its own.
PIECE_GAP = 0.010


def read_arguments():
    """Return the parsed command line: port, target_port, split and merge_ms."""
    parser = argparse.ArgumentParser(description="A TCP relay that splits and merges writes.")
    parser.add_argument("--port", type=int, default=PORT, help="port the relay listens on")
    parser.add_argument("--target-port", type=int, default=TARGET_PORT, help="the server's port")
    parser.add_argument("--split", type=int, default=0, help="piece size in bytes (0: off)")
    parser.add_argument("--merge-ms", type=int, default=0, help="merge window in ms (0: off)")
    args = parser.parse_args()
    for port in (args.port, args.target_port):
        if not 1024 <= port <= 65535:
            parser.error("ports must be from 1024 to 65535")
    if args.port == args.target_port:
        parser.error("the relay cannot forward to its own port")
    if args.split < 0 or args.merge_ms < 0:
        parser.error("--split and --merge-ms must be 0 (off) or more")
    return args


def gather(source, data, merge_seconds):
    """Keep reading for merge_seconds after the first chunk; return all of it and whether EOF came."""
    deadline = time.monotonic() + merge_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        # Wait for more, but only until the window closes.
        source.settimeout(left)
        try:
            more = source.recv(4096)  # anchor: merge
        except socket.timeout:
            break
        if not more:
            # The sender closed its side inside the window: forward what we have, then stop.
            source.settimeout(None)
            return data, True
        data += more
    source.settimeout(None)
    return data, False


def forward(target, data, split):
    """Write data to target, in pieces of at most split bytes if split is on."""
    size = split if split > 0 else len(data)
    for start in range(0, len(data), size):
        # sendall() makes sure this whole piece is handed to the kernel.
        target.sendall(data[start : start + size])  # anchor: send
        if split > 0:
            # Let this piece leave on its own before the next one.
            time.sleep(PIECE_GAP)


def pump(source, target, name, split, merge_seconds):
    """Copy one direction (client to server, or back) until the sender closes it."""
    try:
        while True:
            # Whatever the sender wrote, however much has arrived (up to 4096 bytes).
            data = source.recv(4096)  # anchor: recv
            if not data:  # anchor: eof
                break
            ended = False
            if merge_seconds > 0:
                data, ended = gather(source, data, merge_seconds)
            print(f"{name}: {len(data)} bytes", flush=True)
            forward(target, data, split)
            if ended:
                break
        # The sender closed its side: pass its FIN on, keep the other direction open.
        target.shutdown(socket.SHUT_WR)  # anchor: shutdown
    except OSError:
        # A reset: wake the other direction's recv() too, so both threads end.
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def relay_client(client, address, args):
    """Serve one client: connect to the server for it, then copy bytes both ways."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        server.connect((HOST, args.target_port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"nothing listens on port {args.target_port}: hanging up on {address}", flush=True)
        client.close()
        server.close()
        return
    merge_seconds = args.merge_ms / 1000
    # One thread per direction, so each side can send while the other does too.
    up = threading.Thread(
        target=pump, args=(client, server, "client -> server", args.split, merge_seconds)
    )
    down = threading.Thread(
        target=pump, args=(server, client, "server -> client", args.split, merge_seconds)
    )
    up.start()
    down.start()
    up.join()
    down.join()
    # Both directions are finished: close both connections.
    client.close()  # anchor: close-conn
    server.close()
    print(f"{address[0]}:{address[1]} done", flush=True)


def main():
    args = read_arguments()
    # A TCP socket for clients to connect to.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, args.port))  # anchor: bind
    listener.listen(16)  # anchor: listen
    print(
        f"listening on {HOST}:{args.port}, forwarding to {HOST}:{args.target_port}"
        f" (split {args.split}, merge {args.merge_ms} ms)",
        flush=True,
    )
    try:
        while True:
            # Wait for the next client.
            client, address = listener.accept()  # anchor: accept
            # Serve it in its own thread, so other clients can connect meanwhile.
            threading.Thread(target=relay_client, args=(client, address, args), daemon=True).start()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        listener.close()  # anchor: close


if __name__ == "__main__":
    main()
