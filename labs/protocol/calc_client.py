"""Calculator client: sends arithmetic expressions, prints the server's answers.

Protocol (see specs/calc.md): one expression per line; the server answers each
line with one line, "OK <number>" or "ERROR <reason>".

    python3 calc_client.py [--host HOST] [--port PORT] [EXPRESSION ...]

With expressions on the command line it sends those; without, it reads one
expression per line from the keyboard until you press Ctrl+D.
"""

import argparse
import socket
import sys

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50020


def read_arguments():
    """Return the parsed command line: host, port and the expressions to send."""
    parser = argparse.ArgumentParser(description="A calculator protocol client.")
    parser.add_argument("--host", default=HOST, help="the server's address")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument("expressions", nargs="*", help="expressions such as '2 * (3 + 4)'")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        parser.error("the port must be from 1024 to 65535")
    return args


def main():
    args = read_arguments()
    # A TCP socket: the calculator needs every byte, in order, so it uses a stream.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    try:
        # The handshake happens here; after it, both sides can send.
        client.connect((args.host, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"connection refused: nothing listens on {args.host}:{args.port}", flush=True)
        sys.exit(1)
    # makefile() gives us readline(): it keeps calling recv() until a whole line is in.
    # One recv() is NOT one message: TCP may split or merge what the server sent.
    reader = client.makefile("rb")

    # The expressions come from the command line, or else from the keyboard.
    if args.expressions:
        expressions = args.expressions
    else:
        print("type an expression and press Enter (Ctrl+D to quit)", flush=True)
        expressions = (line.rstrip("\n") for line in sys.stdin)

    for expression in expressions:
        # Framing: the newline marks where this request ends.
        client.sendall(expression.encode("utf-8") + b"\n")  # anchor: send
        # Wait for exactly one reply line.
        reply = reader.readline()  # anchor: recv
        if not reply:
            # b"" means the server closed the connection.
            print("the server closed the connection", flush=True)
            break
        print(f"{expression} -> {reply.decode('utf-8').rstrip()}", flush=True)

    reader.close()
    # We end the exchange: close() sends our FIN, the server sees end of stream.
    client.close()  # anchor: close


if __name__ == "__main__":
    main()
