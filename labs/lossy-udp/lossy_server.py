"""Lossy UDP: a server that sometimes does not answer.

It answers "PING <n>" with "PONG <n>", like the ping-pong server with a number
added, but it throws some replies away on purpose, to act like a network that
loses datagrams. Either:

  - each reply is dropped with a probability you choose (--drop 0.3 means
    about 3 replies in 10), using a random generator started from a seed, or
  - exactly the replies to the PINGs you list are dropped (--drop-list 3,7).

Every dropped reply is printed, so you can compare it with what the client saw.

    python3 lossy_server.py [port] [--drop P] [--seed N] [--drop-list 3,7]

Start it first, then run lossy_client.py in a second terminal. Ctrl+C stops it.
"""

import argparse
import random
import socket

# 127.0.0.1 is the loopback address: only programs on this machine can reach it.
HOST = "127.0.0.1"
# The port the lab uses unless you give another one on the command line.
PORT = 50011
# Drop nothing unless told otherwise.
DROP_PROBABILITY = 0.0
# The highest drop probability we accept: at 1.0 nothing would ever come back.
MAX_DROP = 0.9
# Seeds are whole numbers from 0 to this (the same range as the app's Seed box).
MAX_SEED = 2**32 - 1
# The largest datagram we are ready to receive; a longer one would be cut.
BUFFER_SIZE = 1024


def port_number(text):
    """Turn a command-line word into a port number, or refuse it."""
    if text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1024 to 65535")


def probability(text):
    """A drop probability: a number from 0 to MAX_DROP."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if 0.0 <= value <= MAX_DROP:
        return value
    raise argparse.ArgumentTypeError(f"{text!r} is not a probability from 0 to {MAX_DROP}")


def seed_number(text):
    """A seed: a whole number from 0 to MAX_SEED."""
    if text.isdigit() and int(text) <= MAX_SEED:
        return int(text)
    raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to {MAX_SEED}")


def ping_numbers(text):
    """A drop list such as "3,7": the PING numbers whose replies must be dropped."""
    words = [word.strip() for word in text.split(",")]
    if words and all(word.isdigit() and int(word) >= 1 for word in words):
        # A set answers "is 7 in it?" at once; sorted() later prints it in order.
        return set(int(word) for word in words)
    raise argparse.ArgumentTypeError(f"{text!r} is not a list of PING numbers such as 3,7")


def read_arguments():
    """Return the port, drop probability, seed and drop list from the command line."""
    parser = argparse.ArgumentParser(description="Answer PING with PONG and PING n with PONG n, dropping some replies.")
    parser.add_argument("port", nargs="?", type=port_number, default=PORT,
                        help=f"the UDP port to bind (default {PORT})")
    parser.add_argument("--drop", type=probability, default=DROP_PROBABILITY,
                        help="probability of dropping each reply, 0 to 0.9 (default 0)")
    parser.add_argument("--seed", type=seed_number, default=None,
                        help="seed of the random generator (default: a new one each run)")
    parser.add_argument("--drop-list", type=ping_numbers, default=None,
                        help="drop exactly the replies to these PINGs, e.g. 3,7")
    # parse_args() prints a usage line and exits with code 2 if the arguments are wrong.
    return parser.parse_args()


def ping_number(data):
    """The n of a "PING n" datagram, or None if the datagram is anything else."""
    # strip() drops spaces and a trailing newline, so "PING 3\n" from a terminal tool counts too.
    words = data.strip().split()
    if len(words) == 2 and words[0] == b"PING" and words[1].isdigit() and int(words[1]) >= 1:
        return int(words[1])
    return None


def main():
    args = read_arguments()

    # No seed given: pick one, and print it, so this exact run can be repeated later.
    seed = args.seed if args.seed is not None else random.randrange(MAX_SEED + 1)
    # A generator of our own, started from the seed: the same seed gives the same
    # sequence of random numbers, so the same PINGs lose the same replies.
    generator = random.Random(seed)  # anchor: seed
    if args.drop_list is not None:
        listed = ", ".join(str(n) for n in sorted(args.drop_list))
        print(f"seed {seed}, dropping replies to PING {listed}", flush=True)
    else:
        print(f"seed {seed}, drop probability {args.drop:g}", flush=True)

    # A UDP socket: IPv4 addresses (AF_INET) and separate datagrams (SOCK_DGRAM).
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # anchor: socket
    try:
        # Claim the address and port: for UDP that is all the setup there is.
        server.bind((HOST, args.port))  # anchor: bind
    except OSError as error:
        # Usually another program already holds this port.
        print(f"cannot bind {HOST}:{args.port}: {error.strerror}", flush=True)
        # Leaving the program also releases the socket.
        raise SystemExit(1)
    print(f"bound to {HOST}:{args.port}", flush=True)
    print("waiting for PINGs (press Ctrl+C to stop)...", flush=True)

    received = 0
    plain_count = 0
    dropped = []
    try:
        while True:
            # Wait for the next datagram, and learn who sent it.
            data, address = server.recvfrom(BUFFER_SIZE)  # anchor: recvfrom
            sender = f"{address[0]}:{address[1]}"
            number = ping_number(data)
            plain = data.strip() == b"PING"
            if plain:
                # The course's plain PING: numbered by its arrival, so a drop list names it too.
                plain_count += 1
                number = plain_count
            if number is None:
                # Not our protocol: say what we expected instead of staying silent.
                reply = b"ERROR expected PING or PING <n>"
            else:
                received += 1
                # One random number per PING, drawn in the order the PINGs arrive. It is
                # drawn in drop-list mode too, so both modes use the generator the same way.
                roll = generator.random()
                if args.drop_list is not None:
                    lose = number in args.drop_list
                else:
                    # random() is between 0 and 1: below 0.3 happens about 3 times in 10.
                    lose = roll < args.drop
                if lose:  # anchor: drop
                    # The simulated loss: we simply do not send. The client cannot tell
                    # this apart from a reply that the network lost on the way.
                    dropped.append(number)
                    print(f"PING {number} from {sender}: dropped reply to PING {number}"
                          " - simulated loss", flush=True)
                    continue
                # The same number as the PING, so the client can tell which PING this answers.
                reply = b"PONG" if plain else f"PONG {number}".encode()
            # Send the answer to exactly the address the datagram came from.
            server.sendto(reply, address)  # anchor: sendto
            print(f"from {sender}: {data!r}, replied {reply!r}", flush=True)
    except KeyboardInterrupt:
        # Ctrl+C is how this server is meant to stop.
        listed = ", ".join(str(n) for n in dropped) or "none"
        print(f"stopped with Ctrl+C: {received} PINGs, {len(dropped)} replies dropped ({listed})",
              flush=True)

    # Give the port back to the system.
    server.close()  # anchor: close
    print("server closed, bye", flush=True)


if __name__ == "__main__":
    main()
