"""A student's program (test program) that prints what it sees of its sockets."""
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print(s)
print(type(s).__name__, type(s).__module__, isinstance(s, socket.socket), s.fileno())
print(__name__, __file__.endswith("show_socket.py"))
s.close()
print(s)
