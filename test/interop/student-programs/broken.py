"""A student's program (test program) that fails after its first socket call."""
import socket


def connect_to_server(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.connect(("127.0.0.1", port))
    return sock


connect_to_server(int(__import__("sys").argv[1]))
