"""A student's UDP server (test program) with no Ctrl+C handler: Stop ends it with a traceback."""
import socket
import sys

server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
server.bind(("127.0.0.1", int(sys.argv[1])))
print("waiting")
server.recvfrom(1024)
