"""Lossy UDP: a relay that makes a perfect network imperfect, on purpose.

Put it between any UDP client and any UDP server. The client sends to the
relay instead of the server; the relay passes each datagram on, and passes the
replies back. On the way it can do to each datagram what real networks do:

  --drop P       lose it (probability P)
  --delay MS     hold it for MS milliseconds before sending it on ...
  --jitter MS    ... give or take up to MS milliseconds, chosen at random
  --duplicate P  send it twice (probability P)
  --reorder P    hold it back until the next datagram has gone (probability P)

All the random choices come from one generator started from --seed, so the same
seed and the same datagrams give the same fates.

    python3 impair_relay.py [listen_port] [target_port] [--target-host H] [--seed N]
                            [--drop P] [--delay MS] [--jitter MS] [--duplicate P] [--reorder P]

For example, with lossy_server.py on 50011 (the default target):

    python3 impair_relay.py --delay 3000            # replies come after the client gave up
    python3 lossy_client.py 50012 --timeout 2        # talk to the relay, not the server
"""

import argparse
import heapq
import itertools
import random
import selectors
import socket
import time

# The relay listens here, on this machine: clients send to this port.
HOST = "127.0.0.1"
LISTEN_PORT = 50012
# Where it passes the clients' datagrams on to: the lab's server, unless told otherwise.
TARGET_HOST = "127.0.0.1"
TARGET_PORT = 50011
# Probabilities above this would let almost nothing through.
MAX_PROBABILITY = 0.9
# A datagram held back for reordering is sent anyway after this long.
REORDER_HOLD_SECONDS = 1.0
# Seeds are whole numbers from 0 to this (the same range as the app's Seed box).
MAX_SEED = 2**32 - 1
# UDP datagrams can be up to 65507 bytes: the relay must pass on any of them whole.
BUFFER_SIZE = 65535


def port_number(text):
    """Turn a command-line word into a port number, or refuse it."""
    if text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1024 to 65535")


def probability(text):
    """A probability from 0 to MAX_PROBABILITY."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if 0.0 <= value <= MAX_PROBABILITY:
        return value
    raise argparse.ArgumentTypeError(f"{text!r} is not a probability from 0 to {MAX_PROBABILITY}")


def milliseconds(text):
    """A delay or jitter: whole milliseconds from 0 to 10000."""
    if text.isdigit() and int(text) <= 10_000:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of milliseconds (0-10000)")


def seed_number(text):
    """A seed: a whole number from 0 to MAX_SEED."""
    if text.isdigit() and int(text) <= MAX_SEED:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to {MAX_SEED}")


def read_arguments():
    """Return the ports, the target host, the seed and the impairments."""
    parser = argparse.ArgumentParser(description="Relay UDP datagrams, dropping, delaying, "
                                                 "duplicating and reordering some of them.")
    parser.add_argument("listen_port", nargs="?", type=port_number, default=LISTEN_PORT,
                        help=f"the port clients send to (default {LISTEN_PORT})")
    parser.add_argument("target_port", nargs="?", type=port_number, default=TARGET_PORT,
                        help=f"the server's port (default {TARGET_PORT})")
    parser.add_argument("--target-host", default=TARGET_HOST,
                        help=f"the server's address (default {TARGET_HOST})")
    parser.add_argument("--seed", type=seed_number, default=None,
                        help="seed of the random generator (default: a new one each run)")
    parser.add_argument("--drop", type=probability, default=0.0, help="drop probability")
    parser.add_argument("--delay", type=milliseconds, default=0, help="added delay, ms")
    parser.add_argument("--jitter", type=milliseconds, default=0, help="random +/- spread, ms")
    parser.add_argument("--duplicate", type=probability, default=0.0, help="duplicate probability")
    parser.add_argument("--reorder", type=probability, default=0.0, help="reorder probability")
    # parse_args() prints a usage line and exits with code 2 if the arguments are wrong.
    return parser.parse_args()


def udp_socket():
    """A new UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM)."""
    return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket


def address_text(address):
    return f"{address[0]}:{address[1]}"


class Relay:
    """The relay's state: its sockets, its random generator and its timers."""

    def __init__(self, args, seed):
        self.args = args
        self.target = (args.target_host, args.target_port)
        # A generator of our own, started from the seed: the same seed, the same fates.
        self.generator = random.Random(seed)  # anchor: seed
        # The selector tells us which of our sockets has a datagram waiting.
        self.selector = selectors.DefaultSelector()
        self.listener = None
        # One upstream socket per client address, and the way back: socket -> client.
        self.upstream = {}
        self.client_of = {}
        # Timers: a heap of (when, order, action), the earliest always first.
        # "order" breaks ties, so two timers due at once run in the order they were set.
        self.timers = []
        self.order = itertools.count()
        # Per direction, at most one datagram held back for reordering.
        self.held = {}

    def start(self):
        self.listener = udp_socket()
        # Clients send to this address: they think the relay is the server.
        self.listener.bind((HOST, self.args.listen_port))  # anchor: bind
        self.selector.register(self.listener, selectors.EVENT_READ)

    def upstream_for(self, client):
        """The socket that talks to the server for this client, made on its first datagram.

        One socket per client: when the server answers on it, we know which client the
        reply belongs to. The first sendto() on it picks a free local port by itself.
        """
        if client not in self.upstream:
            sock = udp_socket()
            self.upstream[client] = sock
            self.client_of[sock] = client
            self.selector.register(sock, selectors.EVENT_READ)
        return self.upstream[client]

    def receive(self, sock):
        """Read one datagram from a ready socket, and decide where it must go."""
        try:
            # recvfrom() returns the datagram and who sent it.
            data, sender = sock.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
        except ConnectionError:
            # Some systems report "the server's port is closed" here; nothing to pass on.
            return
        if sock is self.listener:
            # From a client: on to the server, through this client's own upstream socket.
            route = (self.upstream_for(sender), self.target, f"client {address_text(sender)} -> server")
        else:
            # From the server: back to the client this upstream socket belongs to.
            client = self.client_of[sock]
            route = (self.listener, client, f"server -> client {address_text(client)}")
        self.impair(data, route)

    def impair(self, data, route):
        """Choose this datagram's fate and act on it."""
        args = self.args
        out_socket, destination, direction = route
        # Four random numbers for every datagram, always in this order, whatever the
        # settings: so a seed gives each datagram the same fate every time.
        drop_roll, delay_roll, duplicate_roll, reorder_roll = (
            self.generator.random() for _ in range(4))
        what = f"{direction}: {data[:40]!r}"
        if drop_roll < args.drop:  # anchor: drop
            # Lost: we just never send it on.
            print(f"{what} dropped by the relay", flush=True)
            return
        # delay +/- jitter, spread evenly, but never below zero.
        delay_ms = max(0.0, args.delay + (2 * delay_roll - 1) * args.jitter)  # anchor: delay
        copies = 2 if duplicate_roll < args.duplicate else 1  # anchor: duplicate
        if reorder_roll < args.reorder:  # anchor: reorder
            # Hold it back until the next datagram in this direction has gone out
            # (a held datagram is sent once, even if it was also chosen to be duplicated).
            self.hold(data, route, what)
            return
        note = f"held {delay_ms:.0f} ms" if delay_ms > 0 else "forwarded"
        for copy in range(copies):
            label = note if copy == 0 else "duplicated (second copy)"
            self.later(delay_ms / 1000, lambda label=label: self.send(data, route, f"{what} {label}"))

    def hold(self, data, route, what):
        direction = route[2]
        # If one is already held here, let it go first: only one waits at a time.
        self.release(direction)
        # A ticket of its own, so the 1 s timer below releases this datagram and not a
        # later one held in the same direction after this one has already gone.
        ticket = next(self.order)
        self.held[direction] = (ticket, data, route, what)
        self.later(REORDER_HOLD_SECONDS, lambda: self.release(direction, ticket))

    def release(self, direction, ticket=None):
        """Send the datagram held back in this direction (only if it has that ticket)."""
        if direction not in self.held:
            return
        held_ticket, data, route, what = self.held[direction]
        if ticket is not None and ticket != held_ticket:
            return
        del self.held[direction]
        self.send(data, route, f"{what} reordered: sent after the next datagram", release=False)

    def later(self, seconds, action):
        """Run action after this many seconds (0: at the next turn of the loop)."""
        heapq.heappush(self.timers, (time.monotonic() + seconds, next(self.order), action))

    def send(self, data, route, message, release=True):
        out_socket, destination, direction = route
        out_socket.sendto(data, destination)  # anchor: forward
        print(message, flush=True)
        # A datagram went out in this direction: one held back for reordering follows it.
        if release:
            self.release(direction)

    def run_due_timers(self):
        while self.timers and self.timers[0][0] <= time.monotonic():
            _, _, action = heapq.heappop(self.timers)
            action()

    def serve_forever(self):
        while True:
            # Sleep until a datagram arrives or the next timer is due, whichever is first.
            wait = None
            if self.timers:
                wait = max(0.0, self.timers[0][0] - time.monotonic())
            for key, _ in self.selector.select(wait):
                self.receive(key.fileobj)
            self.run_due_timers()

    def close(self):
        for sock in [self.listener, *self.upstream.values()]:
            if sock is not None:
                sock.close()  # anchor: close
        self.selector.close()


def main():
    args = read_arguments()
    # No seed given: pick one, and print it, so this exact run can be repeated later.
    seed = args.seed if args.seed is not None else random.randrange(MAX_SEED + 1)
    print(f"seed {seed}: drop {args.drop:g}, delay {args.delay} +/- {args.jitter} ms,"
          f" duplicate {args.duplicate:g}, reorder {args.reorder:g}", flush=True)
    relay = Relay(args, seed)
    try:
        relay.start()
    except OSError as error:
        # Usually another program already holds this port.
        print(f"cannot bind {HOST}:{args.listen_port}: {error.strerror}", flush=True)
        relay.close()
        raise SystemExit(1)
    print(f"relaying {HOST}:{args.listen_port} -> {args.target_host}:{args.target_port}"
          " (press Ctrl+C to stop)", flush=True)
    try:
        relay.serve_forever()
    except KeyboardInterrupt:
        print("stopped with Ctrl+C", flush=True)
    relay.close()
    print("relay closed, bye", flush=True)


if __name__ == "__main__":
    main()
