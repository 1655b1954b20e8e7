"""Uppercase echo client over TCP: sends each line you type, prints the reply.

The text goes out exactly as typed (no newline added) and one recv() reads the
answer. An empty line closes the connection, which the server reads as b"".

    python3 upper_tcp_client.py [--port PORT] [--greeting]

With --greeting the client first reads the line a greeting server sends on
connect (greeting_server.py), before it sends anything.
"""

import argparse
import socket

HOST = "127.0.0.1"
PORT = 50030
CHUNK = 1024


def main():
    parser = argparse.ArgumentParser(description="Uppercase echo client over TCP.")
    parser.add_argument("--port", type=int, default=PORT, help="server port")
    parser.add_argument("--greeting", action="store_true", help="read a greeting first")
    args = parser.parse_args()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    # The three-way handshake happens inside connect().
    client.connect((HOST, args.port))  # anchor: connect
    if args.greeting:
        greeting = client.recv(CHUNK)  # anchor: greeting
        print("server says:", greeting.decode("utf-8", errors="replace").rstrip(), flush=True)
    try:
        while True:
            try:
                text = input("text (empty to quit): ")
            except EOFError:
                break
            if not text:
                break
            client.sendall(text.encode("utf-8"))  # anchor: send
            reply = client.recv(CHUNK)  # anchor: recv
            if not reply:
                print("the server closed the connection", flush=True)
                break
            print("reply:", reply.decode("utf-8", errors="replace"), flush=True)
    finally:
        # close() sends FIN: the server's recv() returns b"".
        client.close()  # anchor: close


if __name__ == "__main__":
    main()
