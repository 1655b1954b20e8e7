"""Exercise: a protocol of your own, the server side.

Pick an exchange between two programs (a calculator, a guessing game, a
key-value store with SET name Alice and GET name, a chat...) and design its
protocol before you write any code. Answer these four questions here, in this
comment, first:

TODO 1. TCP or UDP, and why for this exchange?
TODO 2. The exact format of each message (plain text lines? fields split by
        commas? JSON?), both ways.
TODO 3. What does the server answer to a malformed message?
TODO 4. Does the exchange end, and if so, who ends it and how?

The skeleton below is a TCP server that reads one line at a time and answers
every line with an error: replace that with your protocol (TODO 5). If you
chose UDP, change the socket too.
"""

import socket

HOST = "127.0.0.1"
PORT = 50020  # the protocol lab's port
BUFFER_SIZE = 1024


def answer(line):
    """The reply to one request line (without its newline)."""
    # TODO 5: parse the request by your format and answer it; keep an error reply
    # for anything malformed.
    return "ERROR not implemented yet"


def serve(connection):
    """Read lines until the client closes, answering each one."""
    pending = b""
    while True:
        data = connection.recv(BUFFER_SIZE)
        if not data:
            return
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            reply = answer(line.decode("utf-8", "replace").strip())
            connection.sendall(reply.encode() + b"\n")


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(5)
    print(f"listening on {HOST}:{PORT} (Ctrl+C to stop)", flush=True)
    try:
        while True:
            connection, address = server.accept()
            print(f"{address[0]}:{address[1]} connected", flush=True)
            with connection:
                serve(connection)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
