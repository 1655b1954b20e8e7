"""Uppercase server over UDP: each datagram comes back in capital letters.

Protocol (see specs/upper.md): one message is one datagram, and the reply is
one datagram with the same text in capitals, sent to the address it came from.
A datagram over 2048 bytes gets an error instead.

    python3 upper_udp_server.py [--port PORT]

No connections and no threads: one loop serves every client. Ctrl+C stops it.
"""

import argparse
import socket

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest message we answer, what the course's recvfrom(2048) reads; recvfrom() here
# reads one byte more so we can tell a longer one.
MAX_DATAGRAM = 2048
BUFFER_SIZE = MAX_DATAGRAM + 1


def main():
    parser = argparse.ArgumentParser(description="The uppercase server over UDP.")
    parser.add_argument("--port", type=int, default=PORT, help="port to bind")
    port = parser.parse_args().port
    # A UDP socket: IPv4 (AF_INET), datagrams (SOCK_DGRAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # bind() is all the setup UDP needs: no listen(), no accept().
    server.bind((HOST, port))  # anchor: bind
    print(f"bound to {HOST}:{port}", flush=True)
    try:
        while True:
            # One whole datagram, and the address of whoever sent it.
            data, address = server.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
            if len(data) > MAX_DATAGRAM:
                reply = f"ERROR datagram too long (max {MAX_DATAGRAM} bytes)"
            else:
                reply = data.decode("utf-8", errors="replace").upper()
            # Answer exactly the address recvfrom() gave us.
            server.sendto(reply.encode("utf-8"), address)  # anchor: sendto
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
