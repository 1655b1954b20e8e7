"""Exercise: a UDP client that shows the server's count.

It sends five PINGs to the counter server and waits up to 2 seconds for each
reply. At the moment it only says that a reply came: change it so it prints the
whole reply, such as "PONG #4", so you can watch the server's count go up.
Look for the line marked TODO.
"""

import socket

SERVER = ("127.0.0.1", 50008)  # where the counter server listens
PINGS = 5
TIMEOUT_SECONDS = 2.0
BUFFER_SIZE = 1024


def main():
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(TIMEOUT_SECONDS)
    for number in range(1, PINGS + 1):
        client.sendto(b"PING", SERVER)
        try:
            data, sender = client.recvfrom(BUFFER_SIZE)
        except socket.timeout:
            print(f"ping {number}: no reply within {TIMEOUT_SECONDS:g} s", flush=True)
            continue
        # TODO: print the reply itself (data.decode()), not just that one came.
        print(f"ping {number}: got a reply", flush=True)
    client.close()


if __name__ == "__main__":
    main()
