"""Mini chat server: every line a client sends goes to all the other clients.

Protocol (see specs/chat.md): the first line is "NAME alice", answered with
"WELCOME alice (2 online)"; then each line is passed on as "alice: text", and
everyone hears "* alice joined" and "* alice left".

    python3 chat_server.py [--port PORT]

Each client has two threads: a reader that handles what it sends, and a writer
that sends it what others said. The others never wait for a slow client: they
only put lines in its outbox. An outbox over 64 KiB means the client is not
reading, and it is disconnected. Ctrl+C stops the server.
"""

import argparse
import queue
import re
import socket
import threading

# Loopback only: programs on this machine can reach the server, nothing else.
HOST = "127.0.0.1"
PORT = 50020
# The longest line we accept, newline not counted.
MAX_LINE = 200
MAX_CLIENTS = 32
# Unsent bytes allowed per client before we give up on it.
MAX_BACKLOG = 64 * 1024
NAME = re.compile(r"^[A-Za-z0-9_-]{1,16}$")

# Everyone in the room: Client objects by name. A lock, because every thread uses it.
clients = {}  # anchor: clients
clients_lock = threading.Lock()


class Client:
    """One connection: its socket, its name once known, and its outbox."""

    def __init__(self, conn):
        self.conn = conn
        self.name = None
        self.outbox = queue.Queue()
        self.backlog = 0
        self.dropped = False
        self.lock = threading.Lock()

    def send(self, line):
        """Queue one line for this client; never blocks. False if it is too far behind."""
        data = line.encode("utf-8") + b"\n"
        with self.lock:
            if self.dropped:
                return True
            if self.backlog + len(data) > MAX_BACKLOG:
                self.dropped = True
                return False
            self.backlog += len(data)
        self.outbox.put(data)
        return True

    def write_loop(self):
        """Runs in the writer thread: send the outbox, one line at a time."""
        while True:
            data = self.outbox.get()
            if data is None:
                return
            try:
                # This may block if the client does not read: only this thread waits.
                self.conn.sendall(data)  # anchor: send
            except OSError:
                return
            with self.lock:
                self.backlog -= len(data)


def broadcast(sender, line):
    """Give `line` to everyone but `sender`; drop anyone who is not keeping up."""
    with clients_lock:
        others = [c for c in clients.values() if c is not sender]
    for other in others:
        if not other.send(line):
            print(f"{other.name}: {MAX_BACKLOG} bytes waiting, disconnecting", flush=True)  # anchor: slow-client
            # shutdown() wakes its reader thread, which then says goodbye for it.
            other.conn.shutdown(socket.SHUT_RDWR)


def handle_client(client, name):
    """Runs in the reader thread: join, then pass every line on, until the client leaves."""
    reader = client.conn.makefile("rb")
    writer = threading.Thread(target=client.write_loop, daemon=True)
    writer.start()
    try:
        while True:
            line = reader.readline(MAX_LINE + 2)  # anchor: recv
            if not line:  # anchor: eof
                print(f"{name}: end of stream", flush=True)
                break
            if not line.endswith(b"\n") or len(line.rstrip(b"\r\n")) > MAX_LINE:
                if not line.endswith(b"\n") and len(line) <= MAX_LINE:
                    break
                while line and not line.endswith(b"\n"):
                    line = reader.readline(MAX_LINE + 2)
                client.send(f"ERROR line too long (max {MAX_LINE} bytes)")
                continue
            text = line.rstrip(b"\n").removesuffix(b"\r").decode("utf-8", errors="replace")
            if client.name is not None:
                if text.strip():
                    broadcast(client, f"{client.name}: {text}")
                continue
            join(client, text)
    except OSError:
        pass
    finally:
        leave(client)
        reader.close()


def join(client, text):
    """Handle a line from a client that has no name yet."""
    match = re.match(r"^\s*NAME\s+(.*?)\s*$", text, re.IGNORECASE)
    if not match:
        client.send("ERROR send NAME <name> first")
        return
    wanted = match.group(1)
    if not NAME.match(wanted):
        client.send("ERROR a name is 1 to 16 letters, digits, _ or -")
        return
    with clients_lock:
        if wanted in clients:
            client.send(f'ERROR the name "{wanted}" is taken: choose another')
            return
        client.name = wanted
        clients[wanted] = client
        online = len(clients)
    client.send(f"WELCOME {wanted} ({online} online)")
    broadcast(client, f"* {wanted} joined")


def leave(client):
    """The client is gone: forget it, tell the others, stop its writer, close."""
    with clients_lock:
        named = client.name is not None and clients.get(client.name) is client
        if named:
            del clients[client.name]
    if named:
        why = " (disconnected: it was not reading its messages)" if client.dropped else ""
        broadcast(client, f"* {client.name} left{why}")
    client.outbox.put(None)
    client.conn.close()  # anchor: close-conn


def main():
    parser = argparse.ArgumentParser(description="The mini chat server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    port = parser.parse_args().port
    # A TCP socket: IPv4 (AF_INET), a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, port))  # anchor: bind
    server.listen()  # anchor: listen
    print(f"listening on {HOST}:{port}", flush=True)
    count = 0
    try:
        while True:
            conn, address = server.accept()  # anchor: accept
            count += 1
            client = Client(conn)
            with clients_lock:
                full = len(clients) >= MAX_CLIENTS
            if full:
                conn.sendall(f"ERROR the chat is full (max {MAX_CLIENTS} clients)\n".encode())
                conn.close()
                continue
            name = f"client {count} ({address[0]}:{address[1]})"
            threading.Thread(target=handle_client, args=(client, name), daemon=True).start()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.close()  # anchor: close


if __name__ == "__main__":
    main()
