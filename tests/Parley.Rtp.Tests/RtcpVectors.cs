namespace Parley.Rtp.Tests;

/// <summary>Hand-built RTCP packets, annotated field by field (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3.1,
/// draft-alvestrand-rmcat-remb-03 §2.2, draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).</summary>
internal static class RtcpVectors
{
    public static readonly byte[] SenderReport = Hex.Parse("""
        81          # V=2 P=0 RC=1
        c8          # PT=200 SR
        00 0c       # length: 13 words
        aa bb cc dd # SSRC of sender
        e5 4c 6e 9f # NTP timestamp, most significant word
        80 00 00 00 # NTP timestamp, least significant word (half a second)
        00 01 5f 90 # RTP timestamp 90000
        00 00 00 64 # sender's packet count 100
        00 00 3e 80 # sender's octet count 16000
        11 22 33 44 # report block: SSRC_1
        19          #   fraction lost 25/256
        ff ff fe    #   cumulative number of packets lost: -2 (duplicates)
        00 01 02 03 #   extended highest sequence number: cycle 1, 0x0203
        00 00 00 20 #   interarrival jitter 32
        4c 6e 9f 80 #   last SR
        00 01 00 00 #   delay since last SR: 1 s
        """);

    public static readonly byte[] ReceiverReport = Hex.Parse("""
        81          # V=2 P=0 RC=1
        c9          # PT=201 RR
        00 07       # length: 8 words
        00 00 00 01 # SSRC of packet sender
        11 22 33 44 # report block: SSRC_1
        00          #   fraction lost 0
        00 00 05    #   cumulative lost 5
        00 00 ff ff #   extended highest sequence number
        00 00 01 00 #   jitter 256
        00 00 00 00 #   no SR yet
        00 00 00 00 #   no delay
        """);

    public static readonly byte[] SourceDescription = Hex.Parse("""
        82          # V=2 P=0 SC=2
        ca          # PT=202 SDES
        00 07       # length: 8 words
        11 22 33 44 # chunk 1: SSRC
        01 03 61 62 63 # CNAME, 3 bytes, "abc"
        00 00 00    # null item, then nulls to the word boundary
        55 66 77 88 # chunk 2: SSRC
        01 01 78    # CNAME, 1 byte, "x"
        06 04 74 6f 6f 6c # TOOL, 4 bytes, "tool"
        00 00 00    # null item, then nulls to the word boundary
        """);

    public static readonly byte[] Goodbye = Hex.Parse("""
        82          # V=2 P=0 SC=2
        cb          # PT=203 BYE
        00 04       # length: 5 words
        11 22 33 44 # SSRC
        55 66 77 88 # SSRC
        06 63 61 6d 65 72 61 # reason: 6 bytes, "camera"
        00          # padding to the word boundary
        """);

    public static readonly byte[] PictureLossIndication = Hex.Parse("""
        81          # V=2 P=0 FMT=1
        ce          # PT=206 PSFB
        00 02       # length: 3 words
        00 00 00 01 # SSRC of packet sender
        11 22 33 44 # SSRC of media source
        """);

    public static readonly byte[] FullIntraRequest = Hex.Parse("""
        84          # V=2 P=0 FMT=4
        ce          # PT=206 PSFB
        00 04       # length: 5 words
        00 00 00 01 # SSRC of packet sender
        00 00 00 00 # SSRC of media source: unused, 0
        11 22 33 44 # FCI: SSRC
        07 00 00 00 #   command sequence number 7, reserved
        """);

    public static readonly byte[] GenericNack = Hex.Parse("""
        81          # V=2 P=0 FMT=1
        cd          # PT=205 RTPFB
        00 04       # length: 5 words
        00 00 00 01 # SSRC of packet sender
        11 22 33 44 # SSRC of media source
        ff fa       # PID 65530
        00 25       # BLP: bits 0, 2, 5 -> 65531, 65533, 0 (wrapping)
        00 64       # PID 100
        80 01       # BLP: bits 0, 15 -> 101, 116
        """);

    public static readonly byte[] Remb = Hex.Parse("""
        8f          # V=2 P=0 FMT=15
        ce          # PT=206 PSFB
        00 05       # length: 6 words
        00 00 00 01 # SSRC of packet sender
        00 00 00 00 # SSRC of media source: 0
        52 45 4d 42 # 'R' 'E' 'M' 'B'
        01          # Num SSRC 1
        0b d0 90    # BR Exp 2, BR Mantissa 250000: 1 Mbit/s
        11 22 33 44 # SSRC feedback
        """);

    /// <summary>
    /// Transport-wide feedback for 341 packets from sequence number 65530 (so wrapping), with every kind of chunk:
    /// a 1-bit vector, a 2-bit vector with large and negative deltas, a run of losses and a run of small deltas.
    /// </summary>
    public static readonly byte[] TransportWideFeedback = Hex.Parse("""
        8f          # V=2 P=0 FMT=15
        cd          # PT=205 RTPFB
        00 10       # length: 17 words
        00 00 00 01 # SSRC of packet sender
        00 00 00 02 # SSRC of media source
        ff fa       # base sequence number 65530
        01 55       # packet status count 341
        00 03 e8    # reference time 1000 x 64 ms
        07          # feedback packet count 7
        be 39       # 1|0|11111000111001: 1-bit vector, R R R R R . . . R R R . . R
        e4 59       # 1|1|10 01 00 01 01 10 01: 2-bit vector, L S . S S L S
        01 2c       # 0|00|0000100101100: run of 300 not received
        20 14       # 0|01|0000000010100: run of 20 received with small deltas
        0a 04 04 04 04 0c 04 04 08 # the 9 small deltas of the 1-bit vector (x 250 us)
        ff fc       # large delta: -4 (-1 ms, reordered)
        08          # small delta 8
        04 04       # small deltas
        01 90       # large delta: 400 (100 ms)
        04          # small delta
        04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 04 # the run's 20 small deltas
        00 00 00    # zero padding
        """);

    /// <summary>An RR, an SDES and a padded PLI as one compound packet (padding on the last one only).</summary>
    public static readonly byte[] Compound = [.. ReceiverReport, .. SourceDescription, .. Hex.Parse("""
        a1          # V=2 P=1 FMT=1
        ce          # PT=206 PSFB
        00 03       # length: 4 words
        00 00 00 01 # SSRC of packet sender
        11 22 33 44 # SSRC of media source
        00 00 00 04 # padding: four bytes, the last the count
        """)];

    /// <summary>Every vector that is one RTCP packet.</summary>
    public static IEnumerable<byte[]> Single =>
    [
        SenderReport, ReceiverReport, SourceDescription, Goodbye, PictureLossIndication, FullIntraRequest, GenericNack,
        Remb, TransportWideFeedback,
    ];

    public static IEnumerable<byte[]> All => [.. Single, Compound];
}
