"""Multi-client over TCP: a concurrent server, one thread per client.

The main thread does nothing but accept(). Each accepted connection is handed
to a new thread that serves it, so the main thread is back in accept() at once
and many clients are served at the same time.

    python3 threaded_server.py [--port PORT] [--idle SECONDS]

Press Ctrl+C to stop it: that clears its running flag, and it waits for the
clients being served to finish.

Protocol, as the course's ping-pong programs: each recv(1024) is one message. A client
sends b"PING", the server answers b"PONG"; anything else gets b"ERROR expected PING".
With --line, one message is one line instead: b"PING\n" is answered b"PONG\n".
"""

import argparse
import signal
import socket
import threading

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port the lab uses unless you give another one.
PORT = 50009
# How many finished handshakes the kernel may keep for us between two accept() calls.
# Larger than the sequential server's: hundreds of clients may connect in the same instant.
BACKLOG = 128
# The longest line we accept, newline not counted.
MAX_LINE = 1024

# The running flag: the accept() loop goes on while it is True.
running = True
# Every thread adds its PONGs here; the lock stops two threads updating it at once.
total_pongs = 0
total_lock = threading.Lock()


def request_stop(signal_number, frame):
    """Called on Ctrl+C (SIGINT) or SIGTERM: ask the accept() loop to end."""
    global running
    running = False
    print("stop requested: no more clients will be accepted", flush=True)


def read_arguments():
    """Return the parsed command line: port and idle."""
    parser = argparse.ArgumentParser(description="A concurrent PING/PONG server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    parser.add_argument(
        "--idle", type=float, default=30.0, help="hang up on a client silent this many seconds"
    )
    parser.add_argument(
        "--line", action="store_true", help="one message per line (PING\\n) instead of per recv()"
    )
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        parser.error("the port must be from 1024 to 65535")
    return args


# Set from --line in main(): newline-framed messages instead of one message per recv().
LINE_MODE = False


def read_message(reader, conn):
    """One message, as one line (its newline kept) so that the loop below reads both modes alike."""
    if LINE_MODE:
        # Read up to the next newline, but never more than MAX_LINE + 1 bytes.
        return reader.readline(MAX_LINE + 1)
    # The course's way: whatever one recv(1024) returns is one whole message.
    data = conn.recv(MAX_LINE)
    return data + b"\n" if data else b""


def answer(line):
    """Decide the reply to one line (its newline already removed)."""
    if line.strip() == b"PING":
        return b"PONG\n"
    return b"ERROR expected PING\n"


def handle_client(conn, name, idle):
    """Runs in its own thread: answer one client line by line until it leaves."""
    global total_pongs
    pongs = 0
    # A silent client only holds its own thread, but it should not hold it forever.
    conn.settimeout(idle)
    # makefile() wraps the socket so we can read whole lines; it calls recv() for us.
    reader = conn.makefile("rb")
    try:
        while True:
            line = read_message(reader, conn)  # anchor: recv
            # Empty bytes: the client closed its side. End of stream.
            if not line:  # anchor: eof
                print(f"{name}: end of stream, the client left", flush=True)
                break
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    print(f"{name}: line longer than {MAX_LINE} bytes, disconnecting", flush=True)
                    conn.sendall(b"ERROR line too long\n")
                else:
                    print(f"{name}: closed in the middle of a line, dropped", flush=True)
                break
            reply = answer(line[:-1])
            if reply == b"PONG\n":
                pongs += 1
            # Send the reply on THIS client's socket; other threads use their own sockets.
            conn.sendall(reply if LINE_MODE else reply[:-1])  # anchor: send
    except socket.timeout:
        print(f"{name}: silent for {idle} s, hanging up", flush=True)  # anchor: idle
    except ConnectionResetError:
        print(f"{name}: the client reset the connection", flush=True)
    finally:
        reader.close()
        conn.close()  # anchor: close-conn
    # Only one thread at a time may update the shared total.
    with total_lock:
        total_pongs += pongs
    print(f"{name} done after {pongs} PONGs", flush=True)


def main():
    global LINE_MODE
    args = read_arguments()
    LINE_MODE = args.line
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    # A TCP socket: IPv4 addresses (AF_INET) and a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Claim the address and port, so clients know where to find this server.
    server.bind((HOST, args.port))  # anchor: bind
    # Become a listening socket; the kernel queues up to BACKLOG connections for accept().
    server.listen(BACKLOG)  # anchor: listen
    # Wake up from accept() every second, so a cleared running flag is noticed.
    server.settimeout(1.0)
    print(f"listening on {HOST}:{args.port}", flush=True)

    threads = []
    clients = 0
    while running:
        try:
            # Take the next connection out of the backlog (waits up to 1 s for one).
            conn, address = server.accept()  # anchor: accept
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        clients += 1
        name = f"client {clients} ({address[0]}:{address[1]})"
        print(f"{name} accepted, starting a thread for it", flush=True)
        # The thread runs handle_client(conn, name, idle) while this loop goes on.
        thread = threading.Thread(target=handle_client, args=(conn, name, args.idle))
        thread.start()
        threads.append(thread)
        # Forget threads that have finished, so the list does not grow forever.
        threads = [t for t in threads if t.is_alive()]

    print("running flag cleared", flush=True)  # anchor: running-flag
    # Stop accepting; connections still in the backlog are reset.
    server.close()  # anchor: close
    # Wait for the clients that are being served to finish.
    for thread in threads:
        thread.join()
    print(f"server closed after {clients} clients and {total_pongs} PONGs, bye", flush=True)


if __name__ == "__main__":
    main()
