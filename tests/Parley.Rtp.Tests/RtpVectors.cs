namespace Parley.Rtp.Tests;

/// <summary>Hand-built RTP packets, annotated field by field (RFC 3550 §5.1, RFC 8285 §4.2-4.3, RFC 4588 §4).</summary>
internal static class RtpVectors
{
    /// <summary>The smallest useful packet: fixed header and a 4-byte payload.</summary>
    public static readonly byte[] Minimal = Hex.Parse("""
        80          # V=2 P=0 X=0 CC=0
        60          # M=0 PT=96
        00 01       # sequence number 1
        00 00 00 0a # timestamp 10
        12 34 56 78 # SSRC
        de ad be ef # payload
        """);

    /// <summary>Two CSRCs, the marker bit and three bytes of padding.</summary>
    public static readonly byte[] CsrcsAndPadding = Hex.Parse("""
        a2          # V=2 P=1 X=0 CC=2
        e0          # M=1 PT=96
        ff ff       # sequence number 65535
        ff ff ff ff # timestamp 2^32-1
        00 00 00 01 # SSRC 1
        00 00 00 02 # CSRC 2
        00 00 00 03 # CSRC 3
        01 02 03    # payload
        00 00 03    # padding: two zeros and the count, 3
        """);

    /// <summary>RFC 8285 §4.2's example block: elements of 1, 2 and 4 bytes, two padding bytes between.</summary>
    public static readonly byte[] Rfc8285OneByteExample = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        6f          # M=0 PT=111
        00 2a       # sequence number 42
        00 00 03 c0 # timestamp 960
        0b ad ca fe # SSRC
        be de       # defined by profile: one-byte form
        00 03       # length: 3 words
        10 aa       # ID=1 L=0: 1 byte
        21 bb bb    # ID=2 L=1: 2 bytes
        00 00       # padding
        33 cc cc cc cc # ID=3 L=3: 4 bytes
        f8 ff fe    # payload (an Opus TOC and two bytes)
        """);

    /// <summary>RFC 8285 §4.3's example block: a 0-byte element, a 1-byte one, a padding byte, a 4-byte one.</summary>
    public static readonly byte[] Rfc8285TwoByteExample = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        60          # M=0 PT=96
        00 2b       # sequence number 43
        00 00 03 c0 # timestamp 960
        0b ad ca fe # SSRC
        10 00       # defined by profile: two-byte form, appbits 0
        00 03       # length: 3 words
        01 00       # ID=1 L=0
        02 01 bb    # ID=2 L=1
        00          # padding
        03 04 cc cc cc cc # ID=3 L=4
        01 02       # payload
        """);

    /// <summary>A video packet as a browser sends it: abs-send-time, transport-wide sequence number, mid, rid.</summary>
    public static readonly byte[] WebRtcVideo = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        e0          # M=1 PT=96
        1a 2b       # sequence number 6699
        00 01 e2 40 # timestamp 123456
        11 22 33 44 # SSRC
        be de 00 03 # one-byte form, 3 words
        22 12 34 56 # ID=2 L=2: abs-send-time 0x123456
        31 00 2a    # ID=3 L=1: transport-wide sequence number 42
        40 30       # ID=4 L=0: sdes:mid "0"
        a0 68       # ID=10 L=0: rtp-stream-id "h"
        00          # padding
        90 90 90 90 90 90 # payload
        """);

    /// <summary>An audio packet with an RFC 6464 audio level (voice, -42 dBov) in the one-byte form.</summary>
    public static readonly byte[] WebRtcAudio = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        6f          # M=0 PT=111
        00 07       # sequence number 7
        00 00 12 c0 # timestamp 4800
        ca fe ba be # SSRC
        be de 00 02 # one-byte form, 2 words
        10 aa       # ID=1 L=0: V=1 level=42
        51 02 01    # ID=5 L=1: transport-wide sequence number 513
        00 00 00    # padding
        0c 0d 0e    # payload
        """);

    /// <summary>The original of <see cref="Rtx"/>.</summary>
    public static readonly byte[] RtxOriginal = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        e0          # M=1 PT=96
        00 64       # sequence number 100
        00 00 0b b8 # timestamp 3000
        11 11 11 11 # SSRC of the media stream
        be de 00 01 # one-byte form, 1 word
        31 00 2a    # ID=3 L=1: transport-wide sequence number 42
        00          # padding
        01 02 03    # payload
        """);

    /// <summary><see cref="RtxOriginal"/> retransmitted (RFC 4588 §4): RTX SSRC, payload type and sequence number,
    /// the same marker, timestamp and extension, the OSN before the payload.</summary>
    public static readonly byte[] Rtx = Hex.Parse("""
        90          # V=2 P=0 X=1 CC=0
        e1          # M=1 PT=97 (the RTX payload type)
        05 00       # RTX sequence number 1280
        00 00 0b b8 # timestamp 3000, unchanged
        22 22 22 22 # SSRC of the RTX stream
        be de 00 01 # the original's extension block
        31 00 2a
        00
        00 64       # OSN: 100
        01 02 03    # original payload
        """);

    public static IEnumerable<byte[]> All =>
        [Minimal, CsrcsAndPadding, Rfc8285OneByteExample, Rfc8285TwoByteExample, WebRtcVideo, WebRtcAudio, RtxOriginal, Rtx];
}
