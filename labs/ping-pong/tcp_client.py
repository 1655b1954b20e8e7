"""Ping-pong over TCP: the client.

It connects once, sends PING five times over that one connection, prints how
long each PONG took to come back, and then closes the connection.

    python3 tcp_client.py [port] [host]

Start tcp_server.py (or the app's TCP server) first.
"""

import socket
import sys
import time

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50007
# How many PINGs to send.
COUNT = 5
# The largest number of bytes a single recv() may hand back.
BUFFER_SIZE = 1024


def read_arguments():
    """Return (port, host) from the command line, with PORT and HOST as defaults."""
    args = sys.argv[1:]
    # At most two arguments, and the first one must be a port number.
    if len(args) > 2 or (args and not (args[0].isdigit() and 1024 <= int(args[0]) <= 65535)):
        print("usage: python3 tcp_client.py [port] [host]   (port: 1024-65535)", flush=True)
        sys.exit(2)
    port = int(args[0]) if args else PORT
    host = args[1] if len(args) == 2 else HOST
    return port, host


def connect_to_server(client, host, port):
    """Connect to the server; return True on success, False (with a message) if refused."""
    try:
        # connect() blocks while the kernel does the three-way handshake with the server.
        client.connect((host, port))  # anchor: connect
    except ConnectionRefusedError:
        # Nothing listens on that port, so the server's kernel rejected the handshake.
        print(f"connection refused: nothing is listening on {host}:{port}", flush=True)
        print("start the TCP server first, then run this client again", flush=True)
        return False
    print(f"connected to {host}:{port}", flush=True)
    return True


def ping_once(client, number):
    """Send one PING and wait for the answer; return False if the server has gone."""
    started = time.perf_counter()
    # Send the 4 bytes of PING. No address needed: the connection already knows the peer.
    client.sendall(b"PING")  # anchor: send
    # Wait for the reply. TCP is a byte stream: on a real network a reply could arrive in
    # pieces, but 4 bytes on one machine arrive together, which keeps this example short.
    reply = client.recv(BUFFER_SIZE)  # anchor: recv
    elapsed_ms = (time.perf_counter() - started) * 1000

    # Empty bytes: the server closed the connection instead of answering.
    if not reply:
        print(f"ping {number}: the server closed the connection, stopping", flush=True)
        return False
    if reply != b"PONG":
        print(f"ping {number}: unexpected reply {reply!r}", flush=True)
        return True
    print(f"ping {number}: PONG in {elapsed_ms:.2f} ms", flush=True)
    return True


def main():
    port, host = read_arguments()

    # A TCP socket: IPv4 addresses (AF_INET) and a reliable byte stream (SOCK_STREAM).
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    connected = connect_to_server(client, host, port)

    if connected:
        # All the PINGs travel over the same connection: one handshake, five round trips.
        for number in range(1, COUNT + 1):
            if not ping_once(client, number):
                break

    # Closing sends our FIN; the server's recv() then returns b'' (end of stream).
    client.close()  # anchor: close
    print("client closed", flush=True)

    # A non-zero exit code tells the terminal (and scripts) that something went wrong.
    if not connected:
        sys.exit(1)


if __name__ == "__main__":
    main()
