"""A student's UDP client (test program) that gives up after a timeout."""
import socket
import sys

HOST = "127.0.0.1"
PORT = int(sys.argv[1])

client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client.settimeout(0.3)
client.sendto(b"PING", (HOST, PORT))
try:
    data, address = client.recvfrom(1024)
    print(f"reply {data!r}")
except socket.timeout:
    print("no reply within 0.3 s (timeout)")
client.close()
