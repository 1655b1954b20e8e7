"""Exercise (bonus): a TCP server that serves several clients at the same time.

This server already goes back to accept() after each client, but it serves
them one at a time: while it talks to one, the others wait. Your job: hand each
accepted connection to a thread of its own (threading.Thread), so that the main
thread goes straight back to accept(). Look for the lines marked TODO.

Run two or three clients at once and compare the diagram with the sequential
server's: do the clients' lanes overlap now?
"""

import socket
import threading  # noqa: F401 (you will need it)

HOST = "127.0.0.1"
PORT = 50009
BUFFER_SIZE = 1024
MAX_CLIENTS = 10  # the server stops after this many clients


def serve(connection, address):
    """Answer one client's PINGs until it closes its side."""
    print(f"serving {address[0]}:{address[1]}", flush=True)
    with connection:
        while True:
            data = connection.recv(BUFFER_SIZE)
            if not data:
                break
            connection.sendall(b"PONG" if data.strip() == b"PING" else b"ERROR expected PING")
    print(f"{address[0]}:{address[1]} left", flush=True)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(5)
    print(f"listening on {HOST}:{PORT}, at most {MAX_CLIENTS} clients", flush=True)
    try:
        for _ in range(MAX_CLIENTS):
            connection, address = server.accept()
            # TODO: instead of serving the client here (which keeps every other client
            # waiting), start a threading.Thread whose target is serve, with
            # (connection, address) as its args, and go straight back to accept().
            serve(connection, address)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
