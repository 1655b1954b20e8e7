"""Key-value client: sends SET / GET / DEL / KEYS commands, prints the answers.

Protocol (see specs/kv.md): one command per line, one reply line each.
    SET name Alice  -> OK              GET name -> VALUE Alice
    DEL name        -> OK              KEYS     -> KEYS city name
Mistakes get "ERROR ..." with the reason, and the connection stays open.

    python3 kv_client.py [--host HOST] [--port PORT] [COMMAND ...]

Give commands on the command line (quote each one), or type them one per line.
"""

import argparse
import socket
import sys

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50020


def read_arguments():
    """Return the parsed command line: host, port and the commands to send."""
    parser = argparse.ArgumentParser(description="A key-value store client.")
    parser.add_argument("--host", default=HOST, help="the server's address")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument("commands", nargs="*", help="commands such as 'SET name Alice'")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        parser.error("the port must be from 1024 to 65535")
    return args


def main():
    args = read_arguments()
    # A TCP socket: a lost or reordered SET would leave the store in a surprising state.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    try:
        client.connect((args.host, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"connection refused: nothing listens on {args.host}:{args.port}", flush=True)
        sys.exit(1)
    # readline() on this reader returns one whole reply line, however TCP cut it up.
    reader = client.makefile("rb")

    if args.commands:
        commands = args.commands
    else:
        print("type a command and press Enter (Ctrl+D to quit)", flush=True)
        commands = (line.rstrip("\n") for line in sys.stdin)

    for command in commands:
        # The newline is the end of the command: that is this protocol's framing.
        client.sendall(command.encode("utf-8") + b"\n")  # anchor: send
        reply = reader.readline()  # anchor: recv
        if not reply:
            print("the server closed the connection", flush=True)
            break
        print(f"{command} -> {reply.decode('utf-8').rstrip()}", flush=True)

    reader.close()
    # We are done: closing tells the server (it reads end of stream). The data stays in
    # the server's store for the next client.
    client.close()  # anchor: close


if __name__ == "__main__":
    main()
