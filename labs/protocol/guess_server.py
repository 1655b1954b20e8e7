"""Number-guessing server: each client guesses its own secret from 1 to 100.

Protocol (see specs/guess.md): the client sends "GUESS 42"; the server answers
"HIGHER", "LOWER" or "CORRECT in 7 guesses" (and deals a new secret). Anything
else gets "ERROR expected GUESS <1-100>" and is not counted.

    python3 guess_server.py [--port PORT] [--seed SEED]

One thread per client, each with its own game. Ctrl+C stops it.
"""

import argparse
import random
import re
import socket
import threading

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest line we accept, newline not counted.
MAX_LINE = 200
# "GUESS", spaces, 1 to 3 digits; any case, spaces around allowed.
REQUEST = re.compile(rb"^\s*GUESS\s+(\d{1,3})\s*$", re.IGNORECASE)

# One seeded generator deals every secret; a lock because threads share it.
generator = random.Random()
generator_lock = threading.Lock()


class Game:
    """One client's game: a secret and the number of guesses so far."""

    def __init__(self):
        self.secret = self.draw()
        self.guesses = 0

    def draw(self):
        with generator_lock:
            return generator.randint(1, 100)

    def answer(self, line):
        """The reply line to one request line (without its newline)."""
        match = REQUEST.match(line)
        guess = int(match.group(1)) if match else 0
        if not 1 <= guess <= 100:
            return "ERROR expected GUESS <1-100>"
        self.guesses += 1
        if guess < self.secret:
            return "HIGHER"
        if guess > self.secret:
            return "LOWER"
        count = self.guesses
        # Start a new game on the same connection.
        self.secret = self.draw()
        self.guesses = 0
        return f"CORRECT in {count} {'guess' if count == 1 else 'guesses'}"


def handle_client(conn, name):
    """Runs in its own thread: answer one client, line by line, until it leaves."""
    # makefile() lets us read whole lines; it calls recv() for us as often as needed.
    reader = conn.makefile("rb")
    # This client's own game: its secret and its count of guesses.
    game = Game()
    try:
        while True:
            # Read up to the next newline, but never more than MAX_LINE + 2 bytes (\r\n).
            line = reader.readline(MAX_LINE + 2)  # anchor: recv
            # b"": the client closed its side. End of stream.
            if not line:  # anchor: eof
                print(f"{name}: end of stream", flush=True)
                break
            if not line.endswith(b"\n") or len(line.rstrip(b"\r\n")) > MAX_LINE:
                if not line.endswith(b"\n"):
                    if len(line) <= MAX_LINE:
                        # The client closed in the middle of a line: nothing to answer.
                        break
                    # Too long: drop the rest of this line, up to its newline.
                    while line and not line.endswith(b"\n"):
                        line = reader.readline(MAX_LINE + 2)
                reply = f"ERROR line too long (max {MAX_LINE} bytes)"
            else:
                reply = game.answer(line.rstrip(b"\n").removesuffix(b"\r"))
            # One reply line per request line.
            conn.sendall(reply.encode("utf-8") + b"\n")  # anchor: send
    except ConnectionResetError:
        print(f"{name}: the client reset the connection", flush=True)
    finally:
        reader.close()
        conn.close()  # anchor: close-conn


def main():
    parser = argparse.ArgumentParser(description="The number-guessing server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    parser.add_argument("--seed", type=int, help="the same seed deals the same secrets")
    args = parser.parse_args()
    port = args.port
    # Seeded: a run can be repeated exactly. (Python's generator is not the app's, so the
    # same seed deals other secrets here than in the app.)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    generator.seed(seed)
    print(f"seed {seed}", flush=True)  # anchor: seed
    # A TCP socket: IPv4 (AF_INET), a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))  # anchor: bind
    server.listen()  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)
    clients = 0
    try:
        while True:
            # Wait for the next client; each one gets its own thread.
            conn, address = server.accept()  # anchor: accept
            clients += 1
            name = f"client {clients} ({address[0]}:{address[1]})"
            threading.Thread(target=handle_client, args=(conn, name), daemon=True).start()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
