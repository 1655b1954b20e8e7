"""Counter over UDP: the server.

Like the ping-pong UDP server it answers every PING datagram, but its answer
says how many PINGs it has counted so far: "PONG #1", "PONG #2", "PONG #3"...

It can count in two ways, chosen when you start it:

    python3 counter_server.py [port] [--mode shared|per-client]

    shared       one count for the whole server: every client's PINGs add to it
    per-client   one count for each client address (ip, port)

Start it first, then run counter_client.py in a second terminal. Ctrl+C stops it.
"""

import argparse
import socket
import sys

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port this lab uses unless you give another one on the command line.
PORT = 50008
# The largest datagram we are ready to receive; a longer one would be cut.
BUFFER_SIZE = 1024
# The two ways of counting this server knows.
MODES = ["shared", "per-client"]


def port_number(text):
    """Turn a command-line word into a port number, or refuse it."""
    if text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1024 to 65535")


def read_arguments():
    """Return the port and the counting mode given on the command line."""
    parser = argparse.ArgumentParser(description="A UDP server that answers each PING with PONG #n.")
    parser.add_argument("port", nargs="?", type=port_number, default=PORT,
                        help=f"the UDP port to bind (default {PORT})")
    parser.add_argument("--mode", choices=MODES, default="shared",
                        help="one shared count, or one count per client address (default shared)")
    # parse_args() prints a usage line and exits with code 2 if the arguments are wrong.
    return parser.parse_args()


def count_key(mode, address):
    """Say which count a PING from `address` adds to.

    This little function is the whole difference between the two modes.
    """
    if mode == "shared":
        # The same key for every sender, so all PINGs add to one single count.
        return "all clients"
    # The sender's (ip, port) pair: each client socket gets a count of its own.
    return address


def main():
    args = read_arguments()

    # WHERE THE COUNT LIVES: in this dictionary, an ordinary variable of this program.
    # It maps a key (see count_key) to the number of PINGs counted for that key.
    # It is not sent anywhere, and it is not saved to a file: it exists only while this
    # process runs. Stop the server and it is gone; start it again and it begins empty,
    # so the first reply is "PONG #1" again. The client remembers nothing at all.
    counts = {}  # anchor: counts

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    try:
        # Claim the address and port: the only setup a UDP server needs.
        server.bind((HOST, args.port))  # anchor: bind
    except OSError as error:
        # Usually another program (another server?) already holds this port.
        print(f"cannot bind {HOST}:{args.port}: {error.strerror}", flush=True)
        sys.exit(1)
    print(f"bound to {HOST}:{args.port}", flush=True)
    print(f"counting mode: {args.mode}", flush=True)
    print("waiting for datagrams (press Ctrl+C to stop)...", flush=True)

    try:
        while True:
            # Wait for the next datagram; recvfrom() also says who sent it.
            data, address = server.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
            if data.strip() == b"PING":
                key = count_key(args.mode, address)
                # Add one to that count. get(key, 0) gives 0 for a key never seen before,
                # which is how a new client starts at 1 in per-client mode.
                counts[key] = counts.get(key, 0) + 1
                # The reply carries the count: "PONG #" and the number, as bytes.
                reply = f"PONG #{counts[key]}".encode()
            else:
                # Not our protocol: answer so the sender knows, but do not count it.
                reply = b"ERROR expected PING"
            # Send the reply back to exactly the address the datagram came from.
            server.sendto(reply, address)  # anchor: sendto
            print(f"from {address[0]}:{address[1]}: {data!r}, replied {reply!r}", flush=True)
    except KeyboardInterrupt:
        # Ctrl+C is how this server is meant to stop.
        print("stopped with Ctrl+C", flush=True)

    # Give the port back. The counts go too: nothing of them is left once the program ends.
    # (A server that runs for months would also have to forget old clients in per-client
    # mode, or the dictionary would keep growing: every client run adds a key.)
    server.close()  # anchor: close
    print(f"server closed, bye: {len(counts)} count(s) forgotten", flush=True)


if __name__ == "__main__":
    main()
