#!/usr/bin/env python3
"""Sends UDP datagrams with a source address and port of our choosing, through a raw IPv4 socket (needs
CAP_NET_RAW): how a stranger on the network would impersonate another endpoint. Tests use it to send
from a port another process holds.

usage: spoof_udp.py SRC_IP SRC_PORT DST_IP DST_PORT   < one payload per line, in hex
prints the number of datagrams sent
"""
import socket
import struct
import sys


def main():
    src, sport, dst, dport = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)  # implies IP_HDRINCL
    sent = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        payload = bytes.fromhex(line)
        udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload  # checksum 0: none (IPv4)
        # the kernel fills in the header checksum and the id
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, socket.IPPROTO_UDP, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
        raw.sendto(ip + udp, (dst, 0))
        sent += 1
    print(sent)


if __name__ == "__main__":
    main()
