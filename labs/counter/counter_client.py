"""Counter over UDP: the client.

It sends PING datagrams to the counter server and prints every reply in full,
such as "PONG #4", so you can watch the server's count go up. If no reply comes
within 2 seconds it says so and goes on with the next PING.

    python3 counter_client.py [port] [host] [--count N] [--pause SECONDS]

For example, 10 PINGs half a second apart (slow enough to restart the server
in the middle):

    python3 counter_client.py --count 10 --pause 0.5
"""

import argparse
import socket
import time

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50008
# How many PINGs to send, and how long to wait between two of them, unless told otherwise.
COUNT = 5
PAUSE_SECONDS = 0.0
# How long to wait for each reply before giving up on it.
TIMEOUT_SECONDS = 2.0
# The largest datagram we are ready to receive.
BUFFER_SIZE = 1024


def port_number(text):
    """Turn a command-line word into a port number, or refuse it."""
    if text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1024 to 65535")


def positive_whole_number(text):
    """The number of PINGs: a whole number, at least 1."""
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")


def pause_seconds(text):
    """The pause between PINGs: any number of seconds, 0 or more."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if seconds >= 0:
        return seconds
    raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")


def read_arguments():
    """Return the port, host, count and pause given on the command line."""
    parser = argparse.ArgumentParser(description="Send PINGs to the counter server; print each reply.")
    parser.add_argument("port", nargs="?", type=port_number, default=PORT,
                        help=f"the server's UDP port (default {PORT})")
    parser.add_argument("host", nargs="?", default=HOST, help=f"the server's address (default {HOST})")
    parser.add_argument("--count", type=positive_whole_number, default=COUNT,
                        help=f"how many PINGs to send (default {COUNT})")
    parser.add_argument("--pause", type=pause_seconds, default=PAUSE_SECONDS,
                        help="seconds to wait between two PINGs (default 0)")
    # parse_args() prints a usage line and exits with code 2 if the arguments are wrong.
    return parser.parse_args()


def ping_once(client, server_address, number):
    """Send one PING and print the whole reply; return True if a reply came."""
    started = time.perf_counter()
    # Every datagram carries its destination: there is no connection.
    client.sendto(b"PING", server_address)  # anchor: sendto
    try:
        # Wait (at most TIMEOUT_SECONDS) for the answer and the address it came from.
        data, sender = client.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
    except socket.timeout:  # anchor: timeout
        # No answer in time: the server may be stopped, or restarting.
        print(f"ping {number}: no reply within {TIMEOUT_SECONDS:g} s (timeout) - going on", flush=True)
        return False
    except ConnectionError:
        # Some systems report "nothing is bound to that port" as an error on the next receive.
        print(f"ping {number}: port unreachable, no server on that port - going on", flush=True)
        return False
    elapsed_ms = (time.perf_counter() - started) * 1000

    # Print the reply exactly as it came: the number in it is the server's count, not ours.
    # decode() turns the bytes into text; "replace" keeps going even on bytes that are not text.
    reply = data.decode("utf-8", "replace")
    print(f"ping {number}: {reply} (from {sender[0]}:{sender[1]} in {elapsed_ms:.2f} ms)", flush=True)
    return True


def main():
    args = read_arguments()
    server_address = (args.host, args.port)

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # Without a timeout, recvfrom() would wait forever while the server is down.
    client.settimeout(TIMEOUT_SECONDS)  # anchor: settimeout
    print(f"sending {args.count} PING(s) to {args.host}:{args.port}", flush=True)

    replies = 0
    for number in range(1, args.count + 1):
        if ping_once(client, server_address, number):
            replies += 1
        # Wait between PINGs (not after the last one), so a person can follow along.
        if number < args.count:
            time.sleep(args.pause)

    # Only releases our local socket; nothing is sent to the server.
    client.close()  # anchor: close
    print(f"client closed: {replies} of {args.count} PINGs got a reply", flush=True)


if __name__ == "__main__":
    main()
