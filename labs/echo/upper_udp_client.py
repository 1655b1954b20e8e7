"""Uppercase echo client over UDP: each line you type goes out as one datagram.

The reply is read with recvfrom(2048). A timeout keeps a lost datagram (or a
server that is not running) from hanging the client. An empty line quits.

    python3 upper_udp_client.py [--port PORT]
"""

import argparse
import socket

HOST = "127.0.0.1"
PORT = 50030
MAX_DATAGRAM = 2048
TIMEOUT_S = 2.0


def main():
    parser = argparse.ArgumentParser(description="Uppercase echo client over UDP.")
    parser.add_argument("--port", type=int, default=PORT, help="server port")
    port = parser.parse_args().port
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    client.settimeout(TIMEOUT_S)
    try:
        while True:
            try:
                text = input("text (empty to quit): ")
            except EOFError:
                break
            if not text:
                break
            # Every datagram names where it goes: there is no connection.
            client.sendto(text.encode("utf-8"), (HOST, port))  # anchor: sendto
            try:
                reply, server = client.recvfrom(MAX_DATAGRAM)  # anchor: recvfrom
            except socket.timeout:
                print(f"no reply within {TIMEOUT_S:g} s", flush=True)  # anchor: timeout
                continue
            print("reply:", reply.decode("utf-8", errors="replace"), flush=True)
    finally:
        # Nothing is sent on close: UDP has no connection to end.
        client.close()  # anchor: close


if __name__ == "__main__":
    main()
