namespace Parley.Stun.Tests;

/// <summary>
/// TURN messages built by hand, field by field, from RFC 8656 (there is no TURN test-vector RFC). The XOR-coded
/// addresses are worked out in the comments as RFC 8489 §14.2 defines them: X-Port is the port xored with the
/// cookie's top 16 bits (0x2112); an IPv4 X-Address is the address xored with the cookie (21 12 a4 42); an IPv6
/// X-Address is the address xored with the cookie followed by the 12-byte transaction id. MESSAGE-INTEGRITY and
/// FINGERPRINT were computed outside Parley (Python's hmac, hashlib.md5 and zlib.crc32), with the long-term key
/// MD5("alice:example.org:s3cret") = 8b83b40c22906c0c67a3c5bcc491bc14 and the CRC-32 xored with 0x5354554e.
/// </summary>
internal static class TurnVectors
{
    public const string Username = "alice";
    public const string Realm = "example.org";
    public const string Password = "s3cret";
    public const string Nonce = "f00dfeed8badc0de";
    public static readonly byte[] LongTermKey = Convert.FromHexString("8b83b40c22906c0c67a3c5bcc491bc14");

    public static readonly byte[] AllocateTransactionId = Hex.Parse("8f 3a 6c 21 d4 09 b7 5e 10 c2 e8 73");
    public static readonly byte[] SendTransactionId = Hex.Parse("2b 7e 15 16 28 ae d2 a6 ab f7 15 88");
    public static readonly byte[] ChannelBindTransactionId = Hex.Parse("c0 ff ee 00 11 22 33 44 55 66 77 88");

    /// <summary>An authenticated Allocate request (RFC 8656 §7.1) for a UDP relay with a dual-stack allocation.</summary>
    public static readonly byte[] AllocateRequest = Hex.Parse("""
        00 03 00 6c   # Allocate request (method 0x003, class 0b00), message length 108
        21 12 a4 42   # Magic cookie
        8f 3a 6c 21   # }
        d4 09 b7 5e   # }  Transaction ID
        10 c2 e8 73   # }
        00 19 00 04   # REQUESTED-TRANSPORT attribute header
        11 00 00 00   # Protocol 17 (UDP), 3 bytes RFFU
        00 0d 00 04   # LIFETIME attribute header
        00 00 0e 10   # 3600 seconds
        00 1a 00 00   # DONT-FRAGMENT attribute header (no value)
        80 00 00 04   # ADDITIONAL-ADDRESS-FAMILY attribute header
        02 00 00 00   # Family 0x02 (IPv6), 3 bytes reserved
        00 06 00 05   # USERNAME attribute header
        61 6c 69 63   # }  "alice" (5 bytes)
        65 00 00 00   # }  and padding (3 bytes)
        00 14 00 0b   # REALM attribute header
        65 78 61 6d   # }
        70 6c 65 2e   # }  "example.org" (11 bytes)
        6f 72 67 00   # }  and padding (1 byte)
        00 15 00 10   # NONCE attribute header
        66 30 30 64   # }
        66 65 65 64   # }  "f00dfeed8badc0de"
        38 62 61 64   # }
        63 30 64 65   # }
        00 08 00 14   # MESSAGE-INTEGRITY attribute header
        cb 2b 6e a3   # }
        f2 75 24 a4   # }
        f7 cc ac 26   # }  HMAC-SHA1 over the message up to here, with the length field at 100
        13 9d 64 c9   # }
        5a 29 79 29   # }
        80 28 00 04   # FINGERPRINT attribute header
        71 a3 b2 e7   # CRC-32 of the message up to here, xor 0x5354554e
        """);

    /// <summary>Its success response (RFC 8656 §7.3): relayed addresses 203.0.113.10:49152 and
    /// [2001:db8::10]:49153, lifetime 3600 s, mapped address 198.51.100.20:54321.</summary>
    public static readonly byte[] AllocateSuccess = Hex.Parse("""
        01 03 00 58   # Allocate success response (method 0x003, class 0b10), message length 88
        21 12 a4 42   # Magic cookie
        8f 3a 6c 21   # }
        d4 09 b7 5e   # }  Transaction ID (the request's)
        10 c2 e8 73   # }
        00 16 00 08   # XOR-RELAYED-ADDRESS attribute header
        00 01 e1 12   # Reserved, family IPv4; X-Port: 49152 (c0 00) ^ 21 12 = e1 12
        ea 12 d5 48   # X-Address: 203.0.113.10 (cb 00 71 0a) ^ 21 12 a4 42 = ea 12 d5 48
        00 16 00 14   # XOR-RELAYED-ADDRESS attribute header (the IPv6 one)
        00 02 e1 13   # Reserved, family IPv6; X-Port: 49153 (c0 01) ^ 21 12 = e1 13
        01 13 a9 fa   # }  X-Address:    20 01 0d b8  00 00 00 00  00 00 00 00  00 00 00 10  (2001:db8::10)
        8f 3a 6c 21   # }            ^  21 12 a4 42  8f 3a 6c 21  d4 09 b7 5e  10 c2 e8 73  (cookie, transaction id)
        d4 09 b7 5e   # }            =  01 13 a9 fa  8f 3a 6c 21  d4 09 b7 5e  10 c2 e8 63
        10 c2 e8 63   # }
        00 0d 00 04   # LIFETIME attribute header
        00 00 0e 10   # 3600 seconds
        00 20 00 08   # XOR-MAPPED-ADDRESS attribute header
        00 01 f5 23   # Reserved, family IPv4; X-Port: 54321 (d4 31) ^ 21 12 = f5 23
        e7 21 c0 56   # X-Address: 198.51.100.20 (c6 33 64 14) ^ 21 12 a4 42 = e7 21 c0 56
        00 08 00 14   # MESSAGE-INTEGRITY attribute header
        ac 2b 4f f2   # }
        25 12 5b 87   # }
        da 8a 5f 00   # }  HMAC-SHA1 over the message up to here, with the length field at 80
        1c e5 7e b1   # }
        be 0a 27 21   # }
        80 28 00 04   # FINGERPRINT attribute header
        61 81 de c8   # CRC-32 of the message up to here, xor 0x5354554e
        """);

    /// <summary>A Send indication (RFC 8656 §11.1) of "hello, peer" to 192.0.2.77:5000; indications carry no
    /// MESSAGE-INTEGRITY.</summary>
    public static readonly byte[] SendIndication = Hex.Parse("""
        00 16 00 1c   # Send indication (method 0x006, class 0b01), message length 28
        21 12 a4 42   # Magic cookie
        2b 7e 15 16   # }
        28 ae d2 a6   # }  Transaction ID
        ab f7 15 88   # }
        00 12 00 08   # XOR-PEER-ADDRESS attribute header
        00 01 32 9a   # Reserved, family IPv4; X-Port: 5000 (13 88) ^ 21 12 = 32 9a
        e1 12 a6 0f   # X-Address: 192.0.2.77 (c0 00 02 4d) ^ 21 12 a4 42 = e1 12 a6 0f
        00 13 00 0b   # DATA attribute header
        68 65 6c 6c   # }
        6f 2c 20 70   # }  "hello, peer" (11 bytes)
        65 65 72 00   # }  and padding (1 byte)
        """);

    /// <summary>An authenticated ChannelBind request (RFC 8656 §11.1) binding channel 0x4001 to
    /// [2001:db8:cafe::2]:6000.</summary>
    public static readonly byte[] ChannelBindRequest = Hex.Parse("""
        00 09 00 68   # ChannelBind request (method 0x009, class 0b00), message length 104
        21 12 a4 42   # Magic cookie
        c0 ff ee 00   # }
        11 22 33 44   # }  Transaction ID
        55 66 77 88   # }
        00 0c 00 04   # CHANNEL-NUMBER attribute header
        40 01 00 00   # Channel 0x4001, 2 bytes RFFU
        00 12 00 14   # XOR-PEER-ADDRESS attribute header
        00 02 36 62   # Reserved, family IPv6; X-Port: 6000 (17 70) ^ 21 12 = 36 62
        01 13 a9 fa   # }  X-Address:    20 01 0d b8  ca fe 00 00  00 00 00 00  00 00 00 02  (2001:db8:cafe::2)
        0a 01 ee 00   # }            ^  21 12 a4 42  c0 ff ee 00  11 22 33 44  55 66 77 88  (cookie, transaction id)
        11 22 33 44   # }            =  01 13 a9 fa  0a 01 ee 00  11 22 33 44  55 66 77 8a
        55 66 77 8a   # }
        00 06 00 05   # USERNAME attribute header
        61 6c 69 63   # }  "alice" (5 bytes)
        65 00 00 00   # }  and padding (3 bytes)
        00 14 00 0b   # REALM attribute header
        65 78 61 6d   # }
        70 6c 65 2e   # }  "example.org" (11 bytes)
        6f 72 67 00   # }  and padding (1 byte)
        00 15 00 10   # NONCE attribute header
        66 30 30 64   # }
        66 65 65 64   # }  "f00dfeed8badc0de"
        38 62 61 64   # }
        63 30 64 65   # }
        00 08 00 14   # MESSAGE-INTEGRITY attribute header
        1b 03 d4 30   # }
        b5 10 7b 0b   # }
        4a 55 05 b1   # }  HMAC-SHA1 over the message up to here, with the length field at 104
        eb b5 2f 46   # }
        24 53 c4 7a   # }
        """);

    /// <summary>ChannelData over UDP (RFC 8656 §12.4): "hello, peer" on channel 0x4001, unpadded.</summary>
    public static readonly byte[] ChannelDataUdp = Hex.Parse("""
        40 01 00 0b   # Channel number 0x4001, length 11 (the data only)
        68 65 6c 6c   # }
        6f 2c 20 70   # }  "hello, peer"
        65 65 72      # }  and nothing after: padding is optional over UDP
        """);

    /// <summary>The same over TCP or TLS: padded to a multiple of 4, the length still 11.</summary>
    public static readonly byte[] ChannelDataTcp = Hex.Parse("""
        40 01 00 0b   # Channel number 0x4001, length 11 (the padding is not counted)
        68 65 6c 6c   # }
        6f 2c 20 70   # }  "hello, peer"
        65 65 72 00   # }  and padding (1 byte) to 16
        """);

    public static IEnumerable<byte[]> Messages => [AllocateRequest, AllocateSuccess, SendIndication, ChannelBindRequest];
}
