"""A student's socketserver program (test program): answers each line in upper case."""
import socketserver
import sys


class Upper(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line.upper())


PORT, CLIENTS = int(sys.argv[1]), int(sys.argv[2])
with socketserver.TCPServer(("127.0.0.1", PORT), Upper) as server:
    print("socketserver ready")
    for _ in range(CLIENTS):
        server.handle_request()
print("done")
