"""Exercise: a UDP client that survives lost replies.

It sends ten PINGs and waits at most 2 seconds for each reply. When a reply is
lost, recvfrom() raises socket.timeout, and as it stands that exception ends the
program. Your job: catch it, print a message that says which PING got no reply,
and go on with the next PING. Look for the line marked TODO.
Run it against your lossy server (or the app's) with a drop probability set.
"""

import socket

SERVER = ("127.0.0.1", 50011)
PINGS = 10
TIMEOUT_SECONDS = 2.0
BUFFER_SIZE = 1024


def main():
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(TIMEOUT_SECONDS)
    replies = 0
    for number in range(1, PINGS + 1):
        client.sendto(b"PING", SERVER)
        # TODO: a lost reply makes this raise socket.timeout and end the program.
        # Wrap it in try/except socket.timeout, say that this PING got no reply,
        # and continue with the next one.
        data, sender = client.recvfrom(BUFFER_SIZE)
        replies += 1
        print(f"ping {number}: {data.decode()}", flush=True)
    client.close()
    print(f"{replies} of {PINGS} PINGs got a reply", flush=True)


if __name__ == "__main__":
    main()
