"""Ping-pong over UDP: the server.

It answers every PING datagram with a PONG datagram, sent back to whoever
sent the PING. It keeps going until you press Ctrl+C.

    python3 udp_server.py [port]

Start it first, then run udp_client.py in a second terminal.
"""

import socket
import sys

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port the lab uses unless you give another one on the command line.
PORT = 50007
# The largest datagram we are ready to receive; a longer one would be cut.
BUFFER_SIZE = 1024


def read_port():
    """Return the port given on the command line, or PORT when there is none."""
    args = sys.argv[1:]
    if not args:
        return PORT
    # Accept exactly one argument, and only a whole number in the allowed range.
    if len(args) == 1 and args[0].isdigit() and 1024 <= int(args[0]) <= 65535:
        return int(args[0])
    print("usage: python3 udp_server.py [port]   (port: 1024-65535, default 50007)", flush=True)
    sys.exit(2)


def make_reply(data):
    """Decide what to answer to one datagram."""
    # strip() drops spaces and a trailing newline, so "PING\n" from a terminal tool counts too.
    if data.strip() == b"PING":
        return b"PONG"
    # Anything else breaks our tiny protocol: say so instead of staying silent.
    return b"ERROR expected PING"


def main():
    port = read_port()

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    try:
        # Claim the address and port. For UDP that is all the setup there is:
        # no listen(), no accept(), because there are no connections.
        server.bind((HOST, port))  # anchor: bind
    except OSError as error:
        # Usually another program already holds this port.
        print(f"cannot bind {HOST}:{port}: {error.strerror}", flush=True)
        # Leaving the program also releases the socket.
        sys.exit(1)
    print(f"bound to {HOST}:{port}", flush=True)
    print("waiting for datagrams (press Ctrl+C to stop)...", flush=True)

    try:
        while True:
            # Wait for the next datagram. There is no connection to ask who sent it,
            # so recvfrom() returns the sender's (ip, port) together with the data.
            data, address = server.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
            reply = make_reply(data)
            # Send the answer to exactly the address the datagram came from.
            server.sendto(reply, address)  # anchor: sendto
            print(f"from {address[0]}:{address[1]}: {data!r}, replied {reply!r}", flush=True)
    except KeyboardInterrupt:
        # Ctrl+C is how this server is meant to stop: no error message needed.
        print("stopped with Ctrl+C", flush=True)

    # Give the port back to the system.
    server.close()  # anchor: close
    print("server closed, bye", flush=True)


if __name__ == "__main__":
    main()
