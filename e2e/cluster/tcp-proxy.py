#!/usr/bin/env python3
"""A TCP relay the cluster test puts between the nodes and PostgreSQL, so it can take the database away
(kill -9 of this process closes every relayed connection at once) and bring it back (start it again on the
same port) without touching the machine's PostgreSQL server.

    tcp-proxy.py LISTEN_PORT TARGET_PORT      (both on 127.0.0.1; runs until killed)
"""
import socket
import sys
import threading

BUFFER = 65536


def pump(source, sink):
    try:
        while True:
            data = source.recv(BUFFER)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listen_port, target_port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(128)
    while True:
        client, _ = server.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target_port), timeout=5)
            upstream.settimeout(None)
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pump, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
