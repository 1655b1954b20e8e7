# A UDP ping client written the course's way: sendto(b"PING"), recvfrom(1024), 2 s timeout.
# Usage: udp_ping_client.py PORT COUNT
import socket
import sys

port = int(sys.argv[1])
count = int(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(2)
replies = 0
for i in range(count):
    sock.sendto(b"PING", ("127.0.0.1", port))
    try:
        data, addr = sock.recvfrom(1024)
        print("reply", i + 1, repr(data), flush=True)
        if data == b"PONG":
            replies += 1
    except socket.timeout:
        print("lost", i + 1, flush=True)
sock.close()
print("replies", replies, "lost", count - replies, flush=True)
