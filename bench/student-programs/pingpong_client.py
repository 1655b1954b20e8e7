"""Benchmark program: N PING/PONG round trips over one TCP connection, as a student writes them."""
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
client.connect(("127.0.0.1", port))
started = time.perf_counter()
for _ in range(count):
    client.sendall(b"PING")
    client.recv(1024)
seconds = time.perf_counter() - started
client.close()
print(f"rate {count / seconds:.1f}")
