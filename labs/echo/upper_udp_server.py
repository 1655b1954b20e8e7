"""Uppercase echo over UDP: each datagram comes back in capital letters.

No connection: bind() and then one loop that answers whoever sent the last
datagram, at the address recvfrom() returned with it.

    python3 upper_udp_server.py [--port PORT]

Ctrl+C stops it.
"""

import argparse
import socket

HOST = "127.0.0.1"
PORT = 50030
# One recvfrom() reads one whole datagram of up to this many bytes.
MAX_DATAGRAM = 2048


def main():
    parser = argparse.ArgumentParser(description="Uppercase echo server over UDP.")
    parser.add_argument("--port", type=int, default=PORT, help="port to bind")
    port = parser.parse_args().port
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # bind() is the whole setup: no listen(), no accept().
    server.bind((HOST, port))  # anchor: bind
    print(f"bound to {HOST}:{port}", flush=True)
    try:
        while True:
            data, address = server.recvfrom(MAX_DATAGRAM)  # anchor: recvfrom
            # The reply goes back to the address the datagram came from.
            server.sendto(data.upper(), address)  # anchor: sendto
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
