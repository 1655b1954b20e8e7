"""Lossy UDP: a client that expects some replies never to come.

It sends "PING 1", "PING 2", ... and waits for "PONG 1", "PONG 2", ... The
number in each message is a sequence number: it lets the client tell the reply
it is waiting for from a late reply to an earlier PING, or from a second copy
of a reply it already has.

If no reply comes within the timeout (2 seconds unless told otherwise), the
PING counts as lost and the client goes on with the next one. With --no-timeout
it waits forever instead: press Ctrl+C to cancel it.

    python3 lossy_client.py [port] [host] [--count N] [--timeout SECONDS] [--no-timeout]
"""

import argparse
import socket
import statistics
import time

# Where the server is: this machine, the lab's default port.
HOST = "127.0.0.1"
PORT = 50011
# How many PINGs to send unless told otherwise.
COUNT = 20
# How long to wait for each reply before counting it as lost.
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


def timeout_seconds(text):
    """A timeout: a number of seconds above 0 (use --no-timeout for none)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if seconds > 0:
        return seconds
    raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")


def read_arguments():
    """Return the port, host, count and timeout given on the command line."""
    parser = argparse.ArgumentParser(description="Send numbered PINGs; count lost, late and duplicate replies.")
    parser.add_argument("port", nargs="?", type=port_number, default=PORT,
                        help=f"the server's UDP port (default {PORT})")
    parser.add_argument("host", nargs="?", default=HOST, help=f"the server's address (default {HOST})")
    parser.add_argument("--count", type=positive_whole_number, default=COUNT,
                        help=f"how many PINGs to send (default {COUNT})")
    # The two timeout options exclude each other: give one, the other, or neither.
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--timeout", type=timeout_seconds, default=TIMEOUT_SECONDS,
                       help=f"seconds to wait for each reply (default {TIMEOUT_SECONDS:g})")
    group.add_argument("--no-timeout", action="store_true",
                       help="wait forever for each reply (Ctrl+C cancels)")
    # parse_args() prints a usage line and exits with code 2 if the arguments are wrong.
    return parser.parse_args()


def pong_number(data):
    """The k of a "PONG k" reply, or None if the reply is anything else."""
    words = data.strip().split()
    if len(words) == 2 and words[0] == b"PONG" and words[1].isdigit():
        return int(words[1])
    return None


def wait_for_pong(client, number, timeout, answered):
    """Wait for "PONG <number>"; return True when it came, False when it timed out.

    Replies to other PINGs can arrive meanwhile: a late reply to a PING that already
    timed out, or a second copy of a reply we already have. The sequence number
    tells them apart; each is printed and ignored, and we keep waiting, but only
    for the time that is left.
    """
    # When to give up (None: never). monotonic() is a clock that never jumps back.
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if deadline is not None:
            # The first time round this is the whole timeout; after an ignored reply,
            # only the rest of this PING's time is left for the reply we still want.
            client.settimeout(max(deadline - time.monotonic(), 0.001))  # anchor: time-left
        try:
            # Wait for a datagram; recvfrom() also tells us who sent it.
            data, sender = client.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
        except socket.timeout:  # anchor: timeout
            # Nothing in time: the PING or its PONG was lost (or is very late).
            return False
        except ConnectionError:
            # Some systems report "nothing is bound to that port" on the next receive.
            print(f"ping {number}: port unreachable, no server on that port", flush=True)
            return False
        k = pong_number(data)
        if k == number:
            return True
        if k is not None and k in answered:
            # A reply we have already seen, again: the network (or a relay) duplicated it.
            print(f"ping {number}: duplicate reply to PING {k} - ignored", flush=True)
        elif k is not None and k < number:
            # The reply to an earlier PING we gave up on: it was slow, not lost.
            # Remember it, so another copy of it counts as a duplicate.
            answered.add(k)
            print(f"ping {number}: late reply to PING {k} (already timed out) - ignored", flush=True)
        else:
            print(f"ping {number}: unexpected reply {data!r} from {sender[0]}:{sender[1]} - ignored",
                  flush=True)


def print_summary(count, sent, round_trips, lost):
    """Print the totals, and the round-trip times in milliseconds."""
    listed = ", ".join(str(n) for n in lost) or "none"
    print(f"{sent} of {count} PINGs sent: {len(round_trips)} replies, {len(lost)} lost ({listed})",
          flush=True)
    if round_trips:
        ordered = sorted(round_trips)
        # The 95th percentile: 95 in 100 round trips were this fast or faster.
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"round trip ms: min {ordered[0]:.2f}, median {statistics.median(ordered):.2f},"
              f" p95 {p95:.2f}, max {ordered[-1]:.2f}", flush=True)


def main():
    args = read_arguments()
    server_address = (args.host, args.port)
    timeout = None if args.no_timeout else args.timeout

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    # The timeout turns "no reply" into an exception after that many seconds.
    # settimeout(None) means no timeout: recvfrom() waits until a datagram comes.
    client.settimeout(timeout)  # anchor: settimeout
    waiting = "forever (no timeout)" if timeout is None else f"{timeout:g} s each"
    print(f"sending {args.count} PING(s) to {args.host}:{args.port}, waiting {waiting}", flush=True)

    # The PING numbers a reply has come for (in time or late).
    answered = set()
    round_trips = []
    lost = []
    sent = 0
    try:
        for number in range(1, args.count + 1):
            started = time.perf_counter()
            # Counted first: a Ctrl+C that lands just after sendto() must not lose this PING.
            sent += 1
            # The sequence number goes into the message itself.
            client.sendto(f"PING {number}".encode(), server_address)  # anchor: sendto
            if wait_for_pong(client, number, timeout, answered):
                elapsed_ms = (time.perf_counter() - started) * 1000
                answered.add(number)
                round_trips.append(elapsed_ms)
                print(f"ping {number}: PONG {number} in {elapsed_ms:.2f} ms", flush=True)
            else:
                # Give up on this one, remember it, and go on: the client never hangs.
                lost.append(number)
                print(f"ping {number}: no reply within {timeout:g} s - counted as lost, going on",
                      flush=True)
    except KeyboardInterrupt:
        # Without a timeout this is the only way out of a recvfrom() that waits forever.
        print(f"cancelled while blocked in recvfrom() waiting for PONG {sent}", flush=True)

    # Only releases our local socket; nothing is sent to the server.
    client.close()  # anchor: close
    print_summary(args.count, sent, round_trips, lost)


if __name__ == "__main__":
    main()
