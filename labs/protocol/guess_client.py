"""Number-guessing client: asks GUESS n until the server says CORRECT.

Protocol (see specs/guess.md): the server keeps a secret from 1 to 100 for this
connection. Send "GUESS 42", get "HIGHER" (the secret is bigger), "LOWER", or
"CORRECT in 7 guesses". Anything else gets "ERROR expected GUESS <1-100>".

    python3 guess_client.py [--host HOST] [--port PORT] [--auto]

With --auto the program plays by itself, halving the range each time (it never
needs more than 7 guesses). Without it you type the numbers.
"""

import argparse
import socket
import sys

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50020


def read_arguments():
    """Return the parsed command line: host, port and auto."""
    parser = argparse.ArgumentParser(description="A number-guessing client.")
    parser.add_argument("--host", default=HOST, help="the server's address")
    parser.add_argument("--port", type=int, default=PORT, help="the server's port")
    parser.add_argument("--auto", action="store_true", help="play by halving the range")
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        parser.error("the port must be from 1024 to 65535")
    return args


def ask(client, reader, guess):
    """Send one guess and return the server's one-line answer (or "" if it hung up)."""
    # One request is one line: "GUESS 50\n".
    client.sendall(f"GUESS {guess}\n".encode())  # anchor: send
    # readline() collects bytes until the newline: exactly one reply.
    reply = reader.readline()  # anchor: recv
    return reply.decode().rstrip()


def play_auto(client, reader):
    """Guess the middle of what is left, then keep the half the server points to."""
    low, high = 1, 100
    while low <= high:
        guess = (low + high) // 2
        reply = ask(client, reader, guess)
        print(f"GUESS {guess} -> {reply}", flush=True)
        if reply == "HIGHER":
            low = guess + 1
        elif reply == "LOWER":
            high = guess - 1
        else:
            # CORRECT (or an error, or "" if the server left): the game is over.
            return


def play_by_hand(client, reader):
    """Read numbers from the keyboard until CORRECT or Ctrl+D."""
    print("type a number from 1 to 100 and press Enter (Ctrl+D to quit)", flush=True)
    for line in sys.stdin:
        reply = ask(client, reader, line.strip())
        print(reply, flush=True)
        if not reply or reply.startswith("CORRECT"):
            return


def main():
    args = read_arguments()
    # A TCP socket: each guess must arrive, and in order.
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    try:
        client.connect((args.host, args.port))  # anchor: connect
    except ConnectionRefusedError:
        print(f"connection refused: nothing listens on {args.host}:{args.port}", flush=True)
        sys.exit(1)
    reader = client.makefile("rb")
    if args.auto:
        play_auto(client, reader)
    else:
        play_by_hand(client, reader)
    reader.close()
    # The client ends the exchange by closing; the server then forgets our secret.
    client.close()  # anchor: close


if __name__ == "__main__":
    main()
