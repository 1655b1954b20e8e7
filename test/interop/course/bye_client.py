# The course's threaded-server client: it sends a first message, then in a loop prints what
# the server sent and sends the next line typed, until that line is 'bye'.
# Usage: bye_client.py PORT  (the lines to send on stdin)
import socket
import sys

SERVER = "127.0.0.1"
PORT = int(sys.argv[1])
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((SERVER, PORT))
client.sendall(bytes("This is from Client", 'UTF-8'))
while True:
    in_data = client.recv(1024)
    print("From Server :", in_data.decode(), flush=True)
    out_data = input()
    client.sendall(bytes(out_data, 'UTF-8'))
    if out_data == 'bye':
        break
client.close()
