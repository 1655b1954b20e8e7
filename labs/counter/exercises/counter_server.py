"""Exercise: a UDP server that counts.

Right now this server answers every PING with a plain "PONG", like the ping-pong
lab's UDP server. Your job: make it count the PINGs it has received and put the
count in each reply, so the first PING gets b"PONG #1", the second b"PONG #2"...

Run it from Socket Labs (or `python3 counter_server.py` in a terminal), then run
the app's counter client, or your own counter_client.py, against it.
Look for the lines marked TODO. Ctrl+C (or Stop) ends the server.

Questions to answer while you work:
- where does the count live: in which variable, in which program?
- what happens to the count when you stop and start this server again?
"""

import socket

HOST = "127.0.0.1"  # loopback: only this machine can reach the server
PORT = 50008  # the Counter lab's port
BUFFER_SIZE = 1024  # the largest datagram read at once


def main():
    # TODO 1: make a variable that holds the count, starting at 0.

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((HOST, PORT))
    print(f"listening for PINGs on {HOST}:{PORT} (Ctrl+C to stop)", flush=True)
    try:
        while True:
            data, address = server.recvfrom(BUFFER_SIZE)
            if data.strip() == b"PING":
                # TODO 2: add one to the count, and send it in the reply:
                # b"PONG #3" for the third PING (an f-string, then .encode()).
                reply = b"PONG"
            else:
                reply = b"ERROR expected PING"
            server.sendto(reply, address)
            print(f"{address[0]}:{address[1]} sent {data!r}, answered {reply!r}", flush=True)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
