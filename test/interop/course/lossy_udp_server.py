# The course's lossy UDP server: recvfrom(1024), drop the PONG with DROP_PROBABILITY.
# Usage: lossy_udp_server.py PORT DROP_PROBABILITY
import random
import socket
import sys

DROP_PROBABILITY = float(sys.argv[2])
server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", int(sys.argv[1])))
print("bound", flush=True)
while True:
    data, addr = server.recvfrom(1024)
    if random.random() < DROP_PROBABILITY:
        print("[Server] Dropped reply (simulated loss)", flush=True)
        continue
    server.sendto(b"PONG", addr)
    print("replied", repr(data), flush=True)
