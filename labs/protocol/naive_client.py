"""Why framing matters: a calculator client with a common mistake.

It sends one expression per line and takes whatever ONE recv(1024) returns as the
reply. On a quiet loopback that often works: each reply happens to arrive in one
piece. TCP never promised that. Through framing_relay.py with --split or --merge-ms
(or over a busy network) one recv() may return part of a reply, or two replies at
once, and from then on the answers are paired with the wrong questions.

    python3 naive_client.py [--port PORT] [--count N]

Compare with line_client.py, which reads up to each newline and always gets it right.
"""

import argparse
import socket

HOST = "127.0.0.1"
# The framing relay's port; use 50020 to talk to the calculator directly.
PORT = 50021
# The expressions we send, in this order (then again from the top).
REQUESTS = ["1+1", "2*3", "10/4", "(1+2)*3", "7-10", "2*(3+4)", "100/8", "-5+2", "9*9", "1/4"]


def read_arguments():
    """Return the parsed command line: port and count."""
    parser = argparse.ArgumentParser(description="A calculator client that trusts recv().")
    parser.add_argument("--port", type=int, default=PORT, help="the relay's or server's port")
    parser.add_argument("--count", type=int, default=5, help="how many expressions to send")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535 or args.count < 1:
        parser.error("port 1024-65535, count at least 1")
    return args


def main():
    args = read_arguments()
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    client.connect((HOST, args.port))  # anchor: connect
    not_one_line = 0
    for number in range(args.count):
        expression = REQUESTS[number % len(REQUESTS)]
        # One request is one line: the expression, then a newline.
        client.sendall(expression.encode() + b"\n")  # anchor: send
        # THE MISTAKE: we assume this returns exactly one whole reply.
        reply = client.recv(1024)  # anchor: recv
        if not reply:
            print("the server closed the connection", flush=True)
            break
        print(f"{expression} -> {reply!r}", flush=True)  # anchor: reply
        # A whole reply is exactly one line: it ends with the only newline in it.
        if not reply.endswith(b"\n") or reply.count(b"\n") != 1:
            not_one_line += 1
            print("  ^ that is not exactly one reply line", flush=True)
    client.close()  # anchor: close
    print(f"{not_one_line} of {args.count} reads were not exactly one reply line", flush=True)


if __name__ == "__main__":
    main()
