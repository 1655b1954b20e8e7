"""A student's UDP counter server (test program): answers each PING with PONG #n."""
import socket
import sys

HOST = "127.0.0.1"
PORT = int(sys.argv[1])
STOP_AFTER = int(sys.argv[2]) if len(sys.argv) > 2 else 0

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind((HOST, PORT))
print(f"UDP server ready on {HOST}:{PORT}")
count = 0
try:
    while STOP_AFTER == 0 or count < STOP_AFTER:
        data, address = server.recvfrom(1024)
        count += 1
        reply = f"PONG #{count}".encode()
        server.sendto(reply, address)
        print(f"from {address[0]}:{address[1]}: {data!r}, replied {reply!r}")
except KeyboardInterrupt:
    print("stopped with Ctrl+C")
server.close()
print(f"server closed after {count} PING(s)")
