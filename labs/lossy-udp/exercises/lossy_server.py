"""Exercise: a UDP server that loses replies on purpose.

On this machine datagrams are almost never lost, so this server pretends: it
should skip some of its replies at random. Right now it answers every PING.
Your job: add a DROP_PROBABILITY (0.3 drops about 3 replies in 10) and, before
each reply, draw random.random(); below DROP_PROBABILITY, do not send the reply
and print "[Server] Dropped reply (simulated loss)" instead.
Look for the lines marked TODO.
"""

import random  # noqa: F401 (you will need it)
import socket

HOST = "127.0.0.1"
PORT = 50011  # the Lossy UDP lab's port
BUFFER_SIZE = 1024
# TODO 1: a DROP_PROBABILITY constant, for example 0.3.
# (To drop the same PINGs on every run, add random.seed(2024) after it.)


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((HOST, PORT))
    print(f"listening for PINGs on {HOST}:{PORT} (Ctrl+C to stop)", flush=True)
    try:
        while True:
            data, address = server.recvfrom(BUFFER_SIZE)
            # TODO 2: with probability DROP_PROBABILITY, print the dropped-reply message
            # and go on to the next datagram without calling sendto().
            server.sendto(b"PONG", address)
            print(f"answered {address[0]}:{address[1]}", flush=True)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
