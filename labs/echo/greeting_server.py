"""Threaded uppercase server: greets each client, then serves it in its own thread.

On accept the client is sent exactly b"Thank you for connecting\\r\\n". After
that every recv() is answered with the same bytes in capitals, except exactly
b"bye": as in the course, that ends the client's connection with no reply. The
main thread only accepts, so a second client is served while the first is still
connected.

    python3 greeting_server.py [--port PORT]

Ctrl+C stops it.
"""

import argparse
import socket
import threading

HOST = "127.0.0.1"
PORT = 50030
CHUNK = 1024
GREETING = b"Thank you for connecting\r\n"


class ClientThread(threading.Thread):
    """One connection, served from start to end by its own thread."""

    def __init__(self, conn, address):
        # daemon: Ctrl+C in the main thread ends the program without waiting for clients.
        super().__init__(daemon=True)
        self.conn = conn
        self.address = address

    def run(self):
        print(f"connected: {self.address}", flush=True)
        self.conn.sendall(GREETING)  # anchor: greet
        while True:
            data = self.conn.recv(CHUNK)  # anchor: recv
            if not data:  # anchor: eof
                break
            if data == b"bye":  # anchor: bye
                break  # the client said goodbye: no reply, and this thread ends
            self.conn.sendall(data.upper())  # anchor: send
        self.conn.close()  # anchor: close-conn
        print(f"closed: {self.address}", flush=True)


def main():
    parser = argparse.ArgumentParser(description="Threaded uppercase server with a greeting.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))  # anchor: bind
    server.listen()  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)
    try:
        while True:
            conn, address = server.accept()  # anchor: accept
            # Hand the connection to a new thread and go straight back to accept().
            ClientThread(conn, address).start()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
