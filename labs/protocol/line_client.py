"""Why framing matters: a calculator client that reads whole lines.

Every reply ends with a newline, so the client keeps what recv() gives it in a
buffer and takes a reply only once its newline is there. However the bytes are
cut or merged on the way (try it through framing_relay.py with --split 3), each
reply is paired with the expression it answers.

    python3 line_client.py [--port PORT] [--count N]
"""

import argparse
import socket
import sys

HOST = "127.0.0.1"
# The framing relay's port; use 50020 to talk to the calculator directly.
PORT = 50021
# The expressions we send, in this order (then again from the top).
REQUESTS = ["1+1", "2*3", "10/4", "(1+2)*3", "7-10", "2*(3+4)", "100/8", "-5+2", "9*9", "1/4"]
# A reply longer than this without a newline means the server does not speak in lines.
MAX_REPLY = 4096


def read_arguments():
    """Return the parsed command line: port and count."""
    parser = argparse.ArgumentParser(description="A calculator client that reads lines.")
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
    # Bytes received but not yet used: may hold part of a reply, or more than one.
    buffer = b""
    for number in range(args.count):
        expression = REQUESTS[number % len(REQUESTS)]
        client.sendall(expression.encode() + b"\n")  # anchor: send
        # Read until the buffer holds a whole line: recv() may give us any part of it.
        while b"\n" not in buffer:
            chunk = client.recv(1024)  # anchor: recv
            if not chunk:
                print("the server closed the connection", flush=True)
                client.close()
                sys.exit(1)
            buffer += chunk
            if len(buffer) > MAX_REPLY and b"\n" not in buffer:
                print("no newline in 4096 bytes: not a line-based server", flush=True)
                client.close()
                sys.exit(1)
        # Take one line off the front; anything after it stays for the next reply.
        line, _, buffer = buffer.partition(b"\n")  # anchor: line
        print(f"{expression} -> {line.decode().rstrip(chr(13))}", flush=True)
    client.close()  # anchor: close
    print(f"all {args.count} replies read line by line", flush=True)


if __name__ == "__main__":
    main()
