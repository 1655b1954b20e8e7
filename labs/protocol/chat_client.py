"""Mini chat client: what you type goes to everyone else in the room.

Protocol (see specs/chat.md): the first line is "NAME <your name>"; the server
answers "WELCOME <name> (N online)" or "ERROR ...". After that every line you
send is passed to the others as "<name>: <text>", and you receive theirs, plus
"* bob joined" and "* bob left" notices.

    python3 chat_client.py --name NAME [--host HOST] [--port PORT]

Messages can arrive at any moment, even while you are typing, so a second
thread does nothing but wait for them and print them. Ctrl+D leaves the chat.
"""

import argparse
import socket
import sys
import threading

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50020


def read_arguments():
    """Return the parsed command line: name, host and port."""
    parser = argparse.ArgumentParser(description="A mini chat client.")
    parser.add_argument("--name", required=True, help="your name: letters, digits, _ or -")
    parser.add_argument("--host", default=HOST, help="the server's address")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        parser.error("the port must be from 1024 to 65535")
    return args


def print_incoming(reader):
    """Runs in its own thread: print every line the server sends until it closes."""
    while True:
        # Blocks until a whole line has arrived from the server.
        line = reader.readline()  # anchor: recv
        if not line:
            # b"": the server closed its side (it answered our FIN, or dropped us).
            print("disconnected", flush=True)  # anchor: eof
            return
        print(line.decode("utf-8", errors="replace").rstrip("\n"), flush=True)


def main():
    args = read_arguments()
    # A TCP socket: chat messages must arrive whole and in order.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    try:
        client.connect((args.host, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"connection refused: nothing listens on {args.host}:{args.port}", flush=True)
        sys.exit(1)
    reader = client.makefile("rb")

    # Say who we are first; the server answers WELCOME or ERROR.
    client.sendall(f"NAME {args.name}\n".encode("utf-8"))  # anchor: send-name
    answer = reader.readline().decode("utf-8").rstrip("\n")  # anchor: welcome
    print(answer, flush=True)
    if not answer.startswith("WELCOME"):
        # Taken or invalid name (or the room is full): nothing more to do.
        reader.close()
        client.close()
        sys.exit(1)

    # From now on, lines from the server may come at any time: a thread prints them.
    receiver = threading.Thread(target=print_incoming, args=(reader,), daemon=True)
    receiver.start()

    try:
        # Each line typed (or piped in) is one chat message.
        for line in sys.stdin:
            client.sendall(line.rstrip("\n").encode("utf-8") + b"\n")  # anchor: send
    except (BrokenPipeError, ConnectionResetError):
        print("the server has gone away", flush=True)

    # Ctrl+D: we are done talking. shutdown(SHUT_WR) sends our FIN but keeps reading,
    # so we still see what the server says until it closes its side too.
    try:
        client.shutdown(socket.SHUT_WR)  # anchor: shutdown
    except OSError:
        pass
    receiver.join(timeout=5)
    reader.close()
    client.close()  # anchor: close


if __name__ == "__main__":
    main()
