# The course's uppercase client: an input() loop, no newline sent, recv(1024) or recvfrom(2048).
# Usage: upper_client.py tcp|udp PORT   (lines on stdin; "quit" or end of input stops)
import socket
import sys

kind = sys.argv[1]
port = int(sys.argv[2])
if kind == "tcp":
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(("127.0.0.1", port))
else:
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
c.settimeout(2)
while True:
    try:
        user_input = input()
    except EOFError:
        break
    if user_input == "quit":
        break
    if kind == "tcp":
        c.send(user_input.encode("utf-8"))
        response = c.recv(1024)
    else:
        c.sendto(user_input.encode("utf-8"), ("127.0.0.1", port))
        response, _ = c.recvfrom(2048)
    print("got", repr(response.decode()), flush=True)
c.close()
print("done", flush=True)
