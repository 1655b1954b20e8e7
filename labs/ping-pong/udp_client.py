"""Ping-pong over UDP: the client.

It sends five PING datagrams, one at a time, and prints how long each PONG
took. If no reply comes within 2 seconds it says so and goes on: it never
hangs, even when no server is running.

    python3 udp_client.py [port] [host]
"""

import socket
import sys
import time

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50007
# How many PINGs to send.
COUNT = 5
# How long to wait for each reply before giving up on it.
TIMEOUT_SECONDS = 2.0
# The largest datagram we are ready to receive.
BUFFER_SIZE = 1024


def read_arguments():
    """Return (port, host) from the command line, with PORT and HOST as defaults."""
    args = sys.argv[1:]
    # At most two arguments, and the first one must be a port number.
    if len(args) > 2 or (args and not (args[0].isdigit() and 1024 <= int(args[0]) <= 65535)):
        print("usage: python3 udp_client.py [port] [host]   (port: 1024-65535)", flush=True)
        sys.exit(2)
    port = int(args[0]) if args else PORT
    host = args[1] if len(args) == 2 else HOST
    return port, host


def ping_once(client, server_address, number):
    """Send one PING datagram and wait (at most TIMEOUT_SECONDS) for the answer."""
    started = time.perf_counter()
    # Every datagram carries its destination: there is no connection to remember it.
    client.sendto(b"PING", server_address)  # anchor: sendto
    try:
        # Wait for a datagram; recvfrom() also tells us who sent it.
        data, sender = client.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
    except socket.timeout:  # anchor: timeout
        # Nothing came back in time: the PING or the PONG was lost, or no server is running.
        print(f"ping {number}: no reply within {TIMEOUT_SECONDS:g} s (timeout) - going on", flush=True)
        return
    except ConnectionError:
        # Some systems report an ICMP "port unreachable" (nothing bound on that port)
        # as an error on the next receive. Treat it like a missing reply.
        print(f"ping {number}: port unreachable, no server on that port - going on", flush=True)
        return
    elapsed_ms = (time.perf_counter() - started) * 1000

    if data != b"PONG":
        print(f"ping {number}: unexpected reply {data!r} from {sender[0]}:{sender[1]}", flush=True)
        return
    print(f"ping {number}: PONG from {sender[0]}:{sender[1]} in {elapsed_ms:.2f} ms", flush=True)


def main():
    port, host = read_arguments()
    server_address = (host, port)

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # Without a timeout, recvfrom() would wait forever for a reply that may never come.
    client.settimeout(TIMEOUT_SECONDS)  # anchor: settimeout

    # No connect(): the client can send right away. Each PING is on its own.
    for number in range(1, COUNT + 1):
        ping_once(client, server_address, number)

    # Only releases our local socket; nothing is sent to the server.
    client.close()  # anchor: close
    print("client closed", flush=True)


if __name__ == "__main__":
    main()
