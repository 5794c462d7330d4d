#!/usr/bin/env python3
"""Sends the MongoDB wire-protocol command {ping: 1} (OP_MSG) to HOST:PORT; exit 0 if it answers ok: 1.

Standard library only, so infra/local/start can check FerretDB without any npm dependency.
Usage: mongo-ping.py HOST PORT
"""
import socket
import struct
import sys


def bson_ping() -> bytes:
    body = b"\x10ping\x00" + struct.pack("<i", 1)
    body += b"\x02$db\x00" + struct.pack("<i", len(b"admin") + 1) + b"admin\x00"
    return struct.pack("<i", 4 + len(body) + 1) + body + b"\x00"


def recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


def ok_value(doc: bytes):
    """Top-level 'ok' of a BSON document, as a number (None if absent or unreadable)."""
    i = 4
    while i < len(doc) - 1:
        etype = doc[i]
        end = doc.index(b"\x00", i + 1)
        name = doc[i + 1 : end].decode()
        i = end + 1
        if etype == 0x01:  # double
            val, size = struct.unpack_from("<d", doc, i)[0], 8
        elif etype == 0x10:  # int32
            val, size = struct.unpack_from("<i", doc, i)[0], 4
        elif etype == 0x12:  # int64
            val, size = struct.unpack_from("<q", doc, i)[0], 8
        elif etype == 0x08:  # bool
            val, size = doc[i], 1
        elif etype == 0x02:  # string
            val, size = None, 4 + struct.unpack_from("<i", doc, i)[0]
        elif etype in (0x03, 0x04):  # document, array
            val, size = None, struct.unpack_from("<i", doc, i)[0]
        else:
            return None
        if name == "ok":
            return val
        i += size
    return None


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    doc = bson_ping()
    payload = struct.pack("<I", 0) + b"\x00" + doc  # flagBits, section kind 0, body
    header = struct.pack("<iiii", 16 + len(payload), 1, 0, 2013)  # OP_MSG
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(header + payload)
        length, _, _, opcode = struct.unpack("<iiii", recv_exact(sock, 16))
        rest = recv_exact(sock, length - 16)
    if opcode != 2013 or rest[4] != 0:
        print(f"unexpected reply (opcode {opcode})", file=sys.stderr)
        return 1
    ok = ok_value(rest[5:])
    if ok != 1:
        print(f"ping answered ok={ok!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001 - any failure means "not ready"
        print(f"ping failed: {e}", file=sys.stderr)
        sys.exit(1)
