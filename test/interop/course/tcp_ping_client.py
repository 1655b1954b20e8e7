# A ping-pong TCP client written the course's way: b"PING" with no newline, one recv(1024).
# Usage: tcp_ping_client.py PORT COUNT
import socket
import sys

port = int(sys.argv[1])
count = int(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.settimeout(2)
sock.connect(("127.0.0.1", port))
for i in range(count):
    sock.sendall(b"PING")
    try:
        data = sock.recv(1024)
    except socket.timeout:
        print("timeout", flush=True)
        break
    print("reply", i + 1, repr(data), flush=True)
sock.close()
print("done", flush=True)
