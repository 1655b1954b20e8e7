"""Uppercase client, over TCP or UDP: sends text, prints it back in capitals.

Protocol (see specs/upper.md). TCP: one message per line, one reply line each.
UDP: one message per datagram, one reply datagram each; a datagram can be lost,
so the client waits at most --timeout seconds for each reply.

    python3 upper_client.py [--udp] [--host HOST] [--port PORT] [MESSAGE ...]

Give messages on the command line, or type them one per line (Ctrl+D to quit).
"""

import argparse
import socket
import sys

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50020
# The biggest reply we accept in one recvfrom() call.
BUFFER_SIZE = 2048


def read_arguments():
    """Return the parsed command line: udp, host, port, timeout and the messages."""
    parser = argparse.ArgumentParser(description="An uppercase service client.")
    parser.add_argument("--udp", action="store_true", help="use UDP instead of TCP")
    parser.add_argument("--line", action="store_true", help="TCP: send and read whole lines")
    parser.add_argument("--host", default=HOST, help="the server's address")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument("--timeout", type=float, default=2.0, help="UDP: seconds to wait")
    parser.add_argument("messages", nargs="*", help="the text to send")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535 or args.timeout <= 0:
        parser.error("port 1024-65535 and a positive timeout")
    return args


def run_tcp(args, messages):
    """One connection, one line per message, one line back for each."""
    # SOCK_STREAM: TCP, a reliable stream of bytes with no message boundaries of its own.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    try:
        client.connect((args.host, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"connection refused: nothing listens on {args.host}:{args.port}", flush=True)
        sys.exit(1)
    # With --line, the newline is what separates messages in the stream, so read line by
    # line. Without it, the course's way: the text alone, and one recv(1024) per reply.
    reader = client.makefile("rb")
    for message in messages:
        client.sendall(message.encode("utf-8") + (b"\n" if args.line else b""))  # anchor: send
        reply = reader.readline() if args.line else client.recv(1024)  # anchor: recv
        if not reply:
            print("the server closed the connection", flush=True)
            break
        print(f"{message} -> {reply.decode('utf-8').rstrip()}", flush=True)
    reader.close()
    client.close()  # anchor: close


def run_udp(args, messages):
    """No connection: each message is one datagram, each reply another."""
    # SOCK_DGRAM: UDP. Each sendto() is one datagram, kept whole: no framing needed.
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # Without a timeout, a lost datagram would make recvfrom() wait forever.
    client.settimeout(args.timeout)
    for message in messages:
        client.sendto(message.encode("utf-8"), (args.host, args.port))  # anchor: sendto
        try:
            reply, server = client.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
        except socket.timeout:
            print(f"{message} -> no reply within {args.timeout} s", flush=True)  # anchor: timeout
            continue
        except ConnectionRefusedError:
            # On Linux an ICMP "port unreachable" can surface here: nobody is bound there.
            print(f"{message} -> nothing is listening on {args.host}:{args.port}", flush=True)
            continue
        print(f"{message} -> {reply.decode('utf-8')}", flush=True)
    client.close()  # anchor: close


def main():
    args = read_arguments()
    if args.messages:
        messages = args.messages
    else:
        print("type a message and press Enter (Ctrl+D to quit)", flush=True)
        messages = (line.rstrip("\n") for line in sys.stdin)
    if args.udp:
        run_udp(args, messages)
    else:
        run_tcp(args, messages)


if __name__ == "__main__":
    main()
