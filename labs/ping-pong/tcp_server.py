"""Ping-pong over TCP: the server.

It waits for one client, answers every PING with PONG over that single
connection, and stops when the client hangs up.

    python3 tcp_server.py [port]

Start it first, then run tcp_client.py in a second terminal.
"""

import socket
import sys

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port the lab uses unless you give another one on the command line.
PORT = 50007
# The largest number of bytes a single recv() may hand back.
BUFFER_SIZE = 1024


def read_port():
    """Return the port given on the command line, or PORT when there is none."""
    args = sys.argv[1:]
    if not args:
        return PORT
    # Accept exactly one argument, and only a whole number in the allowed range.
    if len(args) == 1 and args[0].isdigit() and 1024 <= int(args[0]) <= 65535:
        return int(args[0])
    print("usage: python3 tcp_server.py [port]   (port: 1024-65535, default 50007)", flush=True)
    sys.exit(2)


def make_reply(data):
    """Decide what to answer to one message."""
    # strip() drops spaces and a trailing newline, so "PING\n" from a terminal tool counts too.
    if data.strip() == b"PING":
        return b"PONG"
    # Anything else breaks our tiny protocol: say so instead of staying silent.
    return b"ERROR expected PING"


def serve(conn):
    """Answer messages on one connection until the client closes its side."""
    while True:
        # Wait for bytes from the client (at most BUFFER_SIZE of them at once).
        data = conn.recv(BUFFER_SIZE)  # anchor: recv
        # Empty bytes is not a message: it means the client closed the connection (its FIN arrived).
        if not data:  # anchor: eof
            print("recv() returned b'': end of stream, the client closed the connection", flush=True)
            return
        reply = make_reply(data)
        # sendall() keeps sending until every byte of the reply has been handed to the kernel.
        conn.sendall(reply)  # anchor: send
        print(f"received {data!r}, replied {reply!r}", flush=True)


def main():
    port = read_port()

    # A TCP socket: IPv4 addresses (AF_INET) and a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    # Let a quick restart reuse the port instead of failing with "Address already in use".
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        # Claim the address and port, so clients know where to find this server.
        server.bind((HOST, port))  # anchor: bind
    except OSError as error:
        # Usually another program already holds this port.
        print(f"cannot bind {HOST}:{port}: {error.strerror}", flush=True)
        # Leaving the program also releases the socket.
        sys.exit(1)
    # Become a listening socket; the kernel may queue 1 connection that accept() has not taken yet.
    server.listen(1)  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)

    try:
        print("waiting in accept() for a client...", flush=True)
        # accept() blocks until a client connects. The kernel has already done the
        # three-way handshake (SYN, SYN-ACK, ACK) by the time it returns: we never see it.
        # It returns a NEW socket for this one client, plus the client's address.
        conn, address = server.accept()  # anchor: accept
        print(f"accepted a connection from {address[0]}:{address[1]}", flush=True)
        serve(conn)
        # Done with this client: close our side of the connection (this sends our FIN).
        conn.close()  # anchor: close-conn
    except KeyboardInterrupt:
        print("stopped with Ctrl+C", flush=True)

    # This server serves one client only, so the listening socket can go too.
    server.close()  # anchor: close
    print("server closed, bye", flush=True)


if __name__ == "__main__":
    main()
