"""Exercise: a protocol of your own, the client side.

The same four answers as in my_protocol_server.py belong at the top of this
file too (TCP or UDP and why; the exact message format; what a malformed
message gets; who ends the exchange and how).

The skeleton connects to your server, sends each line you type (input()) and
prints the reply line. Change it to speak your protocol (TODO): build the
requests from what the user types, and handle an error reply.
An empty line ends the client.
"""

import socket

SERVER = ("127.0.0.1", 50020)
BUFFER_SIZE = 1024


def read_line(sock, pending):
    """One reply line from the server, and whatever came after it."""
    while b"\n" not in pending:
        data = sock.recv(BUFFER_SIZE)
        if not data:
            raise ConnectionError("the server closed the connection")
        pending += data
    line, rest = pending.split(b"\n", 1)
    return line.decode("utf-8", "replace"), rest


def main():
    client = socket.create_connection(SERVER)
    pending = b""
    try:
        while True:
            text = input("request (empty line to quit): ")
            if not text:
                break
            # TODO: turn what was typed into a request of your format.
            client.sendall(text.encode() + b"\n")
            reply, pending = read_line(client, pending)
            print(f"reply: {reply}", flush=True)
    finally:
        client.close()


if __name__ == "__main__":
    main()
