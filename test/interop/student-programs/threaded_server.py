"""A student's threaded TCP server (test program): one ClientThread per client."""
import socket
import sys
import threading

HOST = "127.0.0.1"
PORT = int(sys.argv[1])
CLIENTS = int(sys.argv[2])


class ClientThread(threading.Thread):
    def __init__(self, conn, address):
        threading.Thread.__init__(self)
        self.conn = conn
        self.address = address

    def run(self):
        while True:
            data = self.conn.recv(1024)
            if not data:
                break
            self.conn.sendall(b"PONG")
        self.conn.close()
        print(f"client {self.address[1]} left")


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)
print(f"TCP server ready on {HOST}:{PORT}")
threads = []
for _ in range(CLIENTS):
    conn, address = server.accept()
    thread = ClientThread(conn, address)
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
server.close()
print("server closed")
