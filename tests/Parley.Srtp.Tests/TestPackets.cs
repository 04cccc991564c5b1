using System.Buffers.Binary;

namespace Parley.Srtp.Tests;

/// <summary>RTP and RTCP packets to protect, built field by field, and one-call protect/unprotect helpers.</summary>
internal static class TestPackets
{
    public static readonly SrtpProfile[] Profiles =
        [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.Aes128CmHmacSha1_32, SrtpProfile.AeadAes128Gcm];

    public static TheoryData<SrtpProfile> AllProfiles => [.. Profiles];

    /// <summary>
    /// An RTP packet (RFC 3550 §5.1): version 2, payload type 96, <paramref name="csrcs"/> CSRCs, a one-byte-form
    /// header extension (RFC 8285) of <paramref name="extensionWords"/> words when that is not negative, and the
    /// payload bytes counting up from <paramref name="fill"/>.
    /// </summary>
    public static byte[] Rtp(ushort sequenceNumber, uint ssrc, int payloadLength, int csrcs = 0, int extensionWords = -1,
        byte fill = 0)
    {
        int headerLength = 12 + (4 * csrcs) + (extensionWords >= 0 ? 4 + (4 * extensionWords) : 0);
        byte[] packet = new byte[headerLength + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords >= 0 ? 0x10 : 0) | csrcs);
        packet[1] = 0x60 | 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequenceNumber * 960u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < csrcs; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (4 * i)), 0xC0C0_0000u + (uint)i);
        }

        if (extensionWords >= 0)
        {
            int at = 12 + (4 * csrcs);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
            for (int i = 0; i < 4 * extensionWords; i++)
            {
                packet[at + 4 + i] = (byte)(0x10 + i); // id 1, length 1, then more elements; contents do not matter
            }
        }

        for (int i = 0; i < payloadLength; i++)
        {
            packet[headerLength + i] = (byte)(fill + i);
        }

        return packet;
    }

    /// <summary>
    /// A compound RTCP packet (RFC 3550 §6.4): a sender report from <paramref name="ssrc"/> with
    /// <paramref name="reportBlocks"/> report blocks, then an SDES with its CNAME.
    /// </summary>
    public static byte[] Rtcp(uint ssrc, int reportBlocks = 1, byte fill = 0)
    {
        int senderReport = 28 + (24 * reportBlocks);
        byte[] cname = "parley-test"u8.ToArray();
        int sdes = (8 + 2 + cname.Length + 1 + 3) & ~3;
        byte[] packet = new byte[senderReport + sdes];
        packet[0] = (byte)(0x80 | reportBlocks);
        packet[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((senderReport / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        for (int i = 8; i < senderReport; i++)
        {
            packet[i] = (byte)(fill + i);
        }

        Span<byte> chunk = packet.AsSpan(senderReport);
        chunk[0] = 0x81;
        chunk[1] = 202;
        BinaryPrimitives.WriteUInt16BigEndian(chunk[2..], (ushort)((sdes / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(chunk[4..], ssrc);
        chunk[8] = 1; // CNAME
        chunk[9] = (byte)cname.Length;
        cname.CopyTo(chunk[10..]);
        return packet;
    }

    public static byte[] Protect(SrtpContext context, byte[] rtp)
    {
        byte[] buffer = new byte[rtp.Length + context.RtpOverhead];
        rtp.CopyTo(buffer, 0);
        Assert.True(context.TryProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    public static byte[] ProtectRtcp(SrtpContext context, byte[] rtcp)
    {
        byte[] buffer = new byte[rtcp.Length + context.RtcpOverhead];
        rtcp.CopyTo(buffer, 0);
        Assert.True(context.TryProtectRtcp(buffer, rtcp.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    /// <summary>The plain packet, or null where the context refused it; the input is not changed.</summary>
    public static byte[]? Unprotect(SrtpContext context, byte[] srtp)
    {
        byte[] copy = [.. srtp];
        return context.TryUnprotectRtp(copy, out int length) ? copy[..length] : null;
    }

    public static byte[]? UnprotectRtcp(SrtpContext context, byte[] srtcp)
    {
        byte[] copy = [.. srtcp];
        return context.TryUnprotectRtcp(copy, out int length) ? copy[..length] : null;
    }
}
