# A ping-pong TCP server written the course's way: a ClientThread per connection, recv(1024),
# b"PONG" for b"PING". Usage: threaded_server.py PORT
import socket
import sys
import threading


class ClientThread(threading.Thread):
    def __init__(self, conn, addr):
        threading.Thread.__init__(self)
        self.conn = conn
        self.addr = addr

    def run(self):
        while True:
            data = self.conn.recv(1024)
            if not data:
                break
            print("got", repr(data), flush=True)
            if data == b"PING":
                self.conn.sendall(b"PONG")
            else:
                self.conn.sendall(b"ERROR")
        self.conn.close()


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen(5)
print("listening", flush=True)
while True:
    conn, addr = server.accept()
    ClientThread(conn, addr).start()
