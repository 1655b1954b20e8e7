"""Multi-client over TCP: a sequential server.

It serves one client at a time. When a client leaves, the server goes back to
accept() and takes the next one. Clients that connect in the meantime are not
refused: the kernel completes their handshake and keeps them in the backlog,
where they wait until accept() takes them.

    python3 sequential_server.py [--port PORT] [--max-clients N] [--idle SECONDS]

It stops by itself after N clients (when --max-clients is given), or when you
press Ctrl+C, which clears its running flag.

Protocol, as the course's ping-pong programs: each recv(1024) is one message. A client
sends b"PING", the server answers b"PONG"; anything else gets b"ERROR expected PING".
With --line, one message is one line instead: b"PING\n" is answered b"PONG\n".
"""

import argparse
import signal
import socket

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port the lab uses unless you give another one.
PORT = 50009
# How many finished handshakes the kernel may keep for us while accept() is busy.
BACKLOG = 5
# The longest line we accept, newline not counted. A longer one breaks the protocol.
MAX_LINE = 1024

# The running flag: the accept() loop goes on while it is True.
running = True


def request_stop(signal_number, frame):
    """Called on Ctrl+C (SIGINT) or SIGTERM: ask the loop to end, do not kill the program."""
    global running
    running = False
    print("stop requested: no more clients will be accepted", flush=True)


def read_arguments():
    """Return the parsed command line: port, max_clients and idle."""
    parser = argparse.ArgumentParser(description="A sequential PING/PONG server.")
    parser.add_argument("--port", type=int, default=PORT, help="port to listen on")
    parser.add_argument(
        "--max-clients", type=int, default=0, help="stop after this many clients (0: never)"
    )
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
    # strip() also drops a "\r", so a line typed in a terminal tool still counts.
    if line.strip() == b"PING":
        return b"PONG\n"
    return b"ERROR expected PING\n"


def serve(conn, address, idle):
    """Answer one client line by line until it leaves. Returns how many PINGs it sent."""
    pongs = 0
    # A client silent for `idle` seconds would block everyone behind it: give up on it then.
    conn.settimeout(idle)
    # makefile() wraps the socket so we can read whole lines; it calls recv() for us.
    reader = conn.makefile("rb")
    try:
        while True:
            line = read_message(reader, conn)  # anchor: recv
            # Empty bytes: the client closed its side (its FIN arrived). End of stream.
            if not line:  # anchor: eof
                print(f"{address}: end of stream, the client left", flush=True)
                break
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    # No newline within MAX_LINE bytes: refuse this line and this client only.
                    print(f"{address}: line longer than {MAX_LINE} bytes, disconnecting", flush=True)
                    conn.sendall(b"ERROR line too long\n")
                else:
                    # The client closed in the middle of a line: nothing to answer.
                    print(f"{address}: closed in the middle of a line, dropped", flush=True)
                break
            reply = answer(line[:-1])
            if reply == b"PONG\n":
                pongs += 1
            # sendall() hands the whole reply to the kernel, then returns.
            conn.sendall(reply if LINE_MODE else reply[:-1])  # anchor: send
    except socket.timeout:
        print(f"{address}: silent for {idle} s, hanging up", flush=True)  # anchor: idle
    except ConnectionResetError:
        # The client vanished without a goodbye (an RST instead of a FIN).
        print(f"{address}: the client reset the connection", flush=True)
    finally:
        reader.close()
        # Done with this client: close its connection socket, keep the listening one.
        conn.close()  # anchor: close-conn
    return pongs


def main():
    global LINE_MODE
    args = read_arguments()
    LINE_MODE = args.line
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    # A TCP socket: IPv4 addresses (AF_INET) and a reliable byte stream (SOCK_STREAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
    # Let a quick restart reuse the port instead of failing with "Address already in use".
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Claim the address and port, so clients know where to find this server.
    server.bind((HOST, args.port))  # anchor: bind
    # Become a listening socket; the kernel queues up to BACKLOG connections for accept().
    server.listen(BACKLOG)  # anchor: listen
    # Wake up from accept() every second, so a cleared running flag is noticed.
    server.settimeout(1.0)
    print(f"listening on {HOST}:{args.port}", flush=True)

    clients = 0
    total_pongs = 0
    while running:
        try:
            # Take the next connection out of the backlog (waits up to 1 s for one).
            conn, address = server.accept()  # anchor: accept
        except socket.timeout:
            # Nobody came within a second: check the running flag and wait again.
            continue
        except InterruptedError:
            continue
        clients += 1
        print(f"client {clients} accepted from {address[0]}:{address[1]}", flush=True)
        # While serve() runs, no other client is served: they wait in the backlog.
        total_pongs += serve(conn, f"client {clients}", args.idle)
        print(f"client {clients} done; {total_pongs} PONGs so far", flush=True)
        if args.max_clients and clients >= args.max_clients:
            # The limit is reached: leave the loop, exactly as if the flag were cleared.
            print(f"served {clients} clients, the maximum: stopping", flush=True)  # anchor: max-clients
            break
        print("back to accept()", flush=True)

    # Stopped with Ctrl+C.
    if not running:
        print("running flag cleared", flush=True)  # anchor: running-flag
    # Closing the listening socket resets any connection still waiting in the backlog.
    server.close()  # anchor: close
    print(f"server closed after {clients} clients and {total_pongs} PONGs, bye", flush=True)


if __name__ == "__main__":
    main()
