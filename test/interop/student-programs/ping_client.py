"""A student's TCP ping client (test program): PING, read the reply, COUNT times."""
import socket
import sys

HOST = "127.0.0.1"
PORT = int(sys.argv[1])
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else 5

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    client.connect((HOST, PORT))
except ConnectionRefusedError as error:
    print(f"could not connect: {error.strerror}")
    sys.exit(3)
client.settimeout(2)
for n in range(1, COUNT + 1):
    client.sendall(b"PING")
    reply = client.recv(1024)
    print(f"ping {n}: {reply!r}")
client.close()
print("client closed")
