"""Benchmark program: one socket call as soon as it starts."""
import socket

socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
