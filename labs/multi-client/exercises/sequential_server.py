"""Exercise: a TCP server that serves one client after another.

As it stands, this server accepts one client, answers its PINGs with PONG until
the client closes the connection, and then exits. Your job: when a client has
left, go back to accept() and wait for the next one, and still give the server
a clean way to stop (a `server_running` flag, or a maximum number of clients).
Look for the lines marked TODO.

Try it with two clients at once: the second one's connect() succeeds straight
away (the kernel's backlog), but when is it served?
"""

import socket

HOST = "127.0.0.1"
PORT = 50009  # the Multi-client lab's port
BUFFER_SIZE = 1024


def serve(connection, address):
    """Answer one client's PINGs until it closes its side."""
    print(f"serving {address[0]}:{address[1]}", flush=True)
    while True:
        data = connection.recv(BUFFER_SIZE)
        if not data:  # b"": the client closed the connection
            break
        connection.sendall(b"PONG" if data.strip() == b"PING" else b"ERROR expected PING")
    connection.close()
    print(f"{address[0]}:{address[1]} left", flush=True)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(5)
    print(f"listening on {HOST}:{PORT}", flush=True)

    # TODO 1: a way to stop cleanly: a server_running flag, or MAX_CLIENTS and a counter.
    # TODO 2: put the accept() and serve() below in a loop, so that the next client is
    # served once this one has left.
    connection, address = server.accept()
    serve(connection, address)

    server.close()
    print("server closed", flush=True)


if __name__ == "__main__":
    main()
