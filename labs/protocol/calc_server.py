"""Calculator server: answers each arithmetic expression with its value.

Protocol (see specs/calc.md): one expression per line; each line gets one line
back, "OK <number>" or "ERROR <reason>". The expression is read by a small
recursive-descent parser: the text is NEVER given to eval(), which would run
any Python a client sent.

    python3 calc_server.py [--port PORT]

One thread per client, so several clients are served at once. Ctrl+C stops it.
"""

import argparse
import socket
import threading

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest line we accept, newline not counted.
MAX_LINE = 200
MAX_DEPTH = 50
MAX_MAGNITUDE = 1e15


class CalcError(Exception):
    """A reason the expression has no value; its text is the whole reply."""


class Parser:
    """Turns the text into a tree of tuples, one method per grammar rule:

    expression := term (("+"|"-") term)*     lowest precedence
    term       := factor (("*"|"/") factor)*
    factor     := "-" factor | number | "(" expression ")"

    The whole line is parsed before anything is computed, so a syntax error is
    reported even when a division by zero comes before it.
    """

    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.depth = 0

    def parse(self):
        self.skip_spaces()
        if self.pos == len(self.text):
            raise CalcError("ERROR empty expression")
        tree = self.expression()
        self.skip_spaces()
        if self.pos < len(self.text):
            raise self.unexpected()
        return tree

    def expression(self):
        tree = self.term()
        # A loop, not recursion: 1 - 2 - 3 groups as (1 - 2) - 3.
        while self.peek() in ("+", "-"):
            op = self.take()
            tree = (op, tree, self.term())
        return tree

    def term(self):
        tree = self.factor()
        while self.peek() in ("*", "/"):
            op = self.take()
            tree = (op, tree, self.factor())
        return tree

    def factor(self):
        self.skip_spaces()
        char = self.text[self.pos] if self.pos < len(self.text) else ""
        if char == "-":
            self.pos += 1
            # Each minus sign and bracket is one level deeper; the limit keeps the
            # recursion (and Python's stack) small whatever a client sends.
            self.enter()
            tree = ("neg", self.factor())
            self.depth -= 1
            return tree
        if char == "(":
            self.pos += 1
            self.enter()
            tree = self.expression()
            self.skip_spaces()
            if self.pos == len(self.text):
                raise CalcError(f'ERROR missing ")" at column {self.pos + 1}')
            if self.text[self.pos] != ")":
                raise self.unexpected()
            self.pos += 1
            self.depth -= 1
            return tree
        if char != "" and char in "0123456789":
            return ("num", self.number())
        raise self.unexpected()

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalcError(f"ERROR nesting too deep (max {MAX_DEPTH} levels)")

    def number(self):
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in "0123456789":
            self.pos += 1
        after = self.text[self.pos + 1 : self.pos + 2]
        if self.text[self.pos : self.pos + 1] == "." and after != "" and after in "0123456789":
            self.pos += 1
            while self.pos < len(self.text) and self.text[self.pos] in "0123456789":
                self.pos += 1
        return check(float(self.text[start : self.pos]))

    def peek(self):
        self.skip_spaces()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self):
        self.pos += 1
        return self.text[self.pos - 1]

    def skip_spaces(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def unexpected(self):
        if self.pos == len(self.text):
            return CalcError(f"ERROR unexpected end of expression at column {self.pos + 1}")
        return CalcError(f'ERROR unexpected "{self.text[self.pos]}" at column {self.pos + 1}')


def evaluate(tree):
    """Compute the value of a tree made by Parser."""
    if tree[0] == "num":
        return tree[1]
    if tree[0] == "neg":
        return -evaluate(tree[1])
    op, left, right = tree[0], evaluate(tree[1]), evaluate(tree[2])
    if op == "/" and right == 0:
        raise CalcError("ERROR division by zero")
    if op == "+":
        return check(left + right)
    if op == "-":
        return check(left - right)
    if op == "*":
        return check(left * right)
    return check(left / right)


def check(value):
    """Refuse numbers too large to be exact (the same limit as the app's server)."""
    if abs(value) > MAX_MAGNITUDE:
        raise CalcError("ERROR overflow")
    return value


def answer(line):
    """The reply line to one request line (without its newline)."""
    try:
        value = evaluate(Parser(line.decode("utf-8", errors="replace")).parse())
    except CalcError as error:
        return str(error)
    # At most 10 decimals, no trailing zeros, no "-0".
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "OK " + ("0" if text == "-0" else text)


def handle_client(conn, name):
    """Runs in its own thread: answer one client, line by line, until it leaves."""
    # makefile() lets us read whole lines; it calls recv() for us as often as needed.
    reader = conn.makefile("rb")
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
                reply = f"ERROR expression too long (max {MAX_LINE} bytes)"
            else:
                reply = answer(line.rstrip(b"\n").removesuffix(b"\r"))
            # One reply line per request line.
            conn.sendall(reply.encode("utf-8") + b"\n")  # anchor: send
    except ConnectionResetError:
        print(f"{name}: the client reset the connection", flush=True)
    finally:
        reader.close()
        conn.close()  # anchor: close-conn


def main():
    parser = argparse.ArgumentParser(description="The calculator protocol server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
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
