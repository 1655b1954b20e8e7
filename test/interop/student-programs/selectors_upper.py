"""A student's selectors program (test program): non-blocking, answers each chunk in upper case."""
import selectors
import socket
import sys

PORT, CLIENTS = int(sys.argv[1]), int(sys.argv[2])
selector = selectors.DefaultSelector()
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", PORT))
server.listen()
server.setblocking(False)
selector.register(server, selectors.EVENT_READ)
print("selectors ready")
finished = 0
while finished < CLIENTS:
    for key, _ in selector.select():
        if key.fileobj is server:
            conn, _ = server.accept()
            conn.setblocking(False)
            selector.register(conn, selectors.EVENT_READ)
            continue
        conn = key.fileobj
        data = conn.recv(1024)
        if data:
            conn.sendall(data.upper())
        else:
            selector.unregister(conn)
            conn.close()
            finished += 1
server.close()
print("done")
