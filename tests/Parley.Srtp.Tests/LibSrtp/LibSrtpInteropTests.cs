using System.Buffers.Binary;

namespace Parley.Srtp.Tests.LibSrtp;

/// <summary>
/// libsrtp 2 (Debian's libsrtp2 through python3-pylibsrtp) as the other end: what it protects Parley unprotects to
/// the original, what Parley protects it unprotects to the original, and since both derive the same keys and the
/// same indices, the protected bytes are the same.
/// </summary>
public sealed class LibSrtpInteropTests
{
    private const uint Audio = 0x11223344;
    private const uint Video = 0xCAFEBABE;

    public static TheoryData<SrtpProfile, bool> ProfilesAndRtcpEncryption =>
        new() { { SrtpProfile.Aes128CmHmacSha1_80, true }, { SrtpProfile.Aes128CmHmacSha1_80, false },
            { SrtpProfile.Aes128CmHmacSha1_32, true }, { SrtpProfile.Aes128CmHmacSha1_32, false },
            { SrtpProfile.AeadAes128Gcm, true }, { SrtpProfile.AeadAes128Gcm, false } };

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Rtp_goes_both_ways_with_csrcs_header_extensions_and_a_sequence_number_wrap(SrtpProfile profile)
    {
        List<byte[]> packets = RtpStream();
        (byte[] key, byte[] salt) = TestKeys.For(profile);
        using var parleySender = new SrtpContext(profile, key, salt);
        using var parleyReceiver = new SrtpContext(profile, key, salt);
        List<byte[]> parleyProtected = [.. packets.Select(p => TestPackets.Protect(parleySender, p))];

        IReadOnlyList<byte[]?> results = LibSrtpPeer.Run(profile, key, salt,
            [.. packets.Select(p => (LibSrtpOperation.Protect, p)),
             .. parleyProtected.Select(p => (LibSrtpOperation.Unprotect, p))]);

        for (int i = 0; i < packets.Count; i++)
        {
            byte[]? byLibSrtp = results[i];
            Assert.NotNull(byLibSrtp);
            Assert.Equal(byLibSrtp, parleyProtected[i]);
            Assert.Equal(packets[i], TestPackets.Unprotect(parleyReceiver, byLibSrtp));
            Assert.Equal(packets[i], results[packets.Count + i]);
        }
    }

    [Theory]
    [MemberData(nameof(ProfilesAndRtcpEncryption))]
    public void Rtcp_goes_both_ways_encrypted_or_only_authenticated(SrtpProfile profile, bool encrypt)
    {
        List<byte[]> packets = RtcpStream();
        (byte[] key, byte[] salt) = TestKeys.For(profile, seed: 11);
        using var parleySender = new SrtpContext(profile, key, salt) { EncryptRtcp = encrypt };
        using var parleyReceiver = new SrtpContext(profile, key, salt);
        // libsrtp's first SRTCP index is 1; Parley's is 0 unless told otherwise.
        parleySender.SetNextRtcpIndex(Audio, 1);
        parleySender.SetNextRtcpIndex(Video, 1);
        List<byte[]> parleyProtected = [.. packets.Select(p => TestPackets.ProtectRtcp(parleySender, p))];

        IReadOnlyList<byte[]?> results = LibSrtpPeer.Run(profile, key, salt,
            [.. packets.Select(p => (LibSrtpOperation.ProtectRtcp, p)),
             .. parleyProtected.Select(p => (LibSrtpOperation.UnprotectRtcp, p))],
            encryptRtcp: encrypt);

        for (int i = 0; i < packets.Count; i++)
        {
            byte[]? byLibSrtp = results[i];
            Assert.NotNull(byLibSrtp);
            Assert.Equal(encrypt, (byLibSrtp[IndexOffset(profile, byLibSrtp.Length)] & 0x80) != 0);
            Assert.Equal(byLibSrtp, parleyProtected[i]);
            Assert.Equal(packets[i], TestPackets.UnprotectRtcp(parleyReceiver, byLibSrtp));
            Assert.Equal(packets[i], results[packets.Count + i]);
        }
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Libsrtp_refuses_what_parley_protects_once_tampered_and_parley_what_libsrtp_does(SrtpProfile profile)
    {
        (byte[] key, byte[] salt) = TestKeys.For(profile, seed: 13);
        using var parleySender = new SrtpContext(profile, key, salt);
        using var parleyReceiver = new SrtpContext(profile, key, salt);
        byte[] rtp = TestPackets.Rtp(100, Audio, 40, csrcs: 1, extensionWords: 1);
        byte[] rtcp = TestPackets.Rtcp(Audio);
        byte[] tamperedRtp = TestPackets.Protect(parleySender, rtp);
        tamperedRtp[^1] ^= 0x01;
        byte[] tamperedRtcp = TestPackets.ProtectRtcp(parleySender, rtcp);
        tamperedRtcp[12] ^= 0x40;

        IReadOnlyList<byte[]?> results = LibSrtpPeer.Run(profile, key, salt,
        [
            (LibSrtpOperation.Unprotect, tamperedRtp), (LibSrtpOperation.UnprotectRtcp, tamperedRtcp),
            (LibSrtpOperation.Protect, rtp), (LibSrtpOperation.ProtectRtcp, rtcp),
        ]);

        Assert.Null(results[0]);
        Assert.Null(results[1]);
        byte[] libSrtpRtp = results[2]!;
        byte[] libSrtpRtcp = results[3]!;
        libSrtpRtp[20] ^= 0x08;
        libSrtpRtcp[5] ^= 0x01;
        Assert.Null(TestPackets.Unprotect(parleyReceiver, libSrtpRtp));
        Assert.Null(TestPackets.UnprotectRtcp(parleyReceiver, libSrtpRtcp));
    }

    /// <summary>
    /// Two interleaved streams: audio without extensions crossing the sequence number wrap (ROC 0 to 1), video
    /// with CSRCs and header extensions of several lengths; payloads from empty to 1200 bytes.
    /// </summary>
    private static List<byte[]> RtpStream()
    {
        List<byte[]> packets = [];
        for (int i = 0; i < 12; i++)
        {
            var sequenceNumber = (ushort)(65530 + i);
            packets.Add(TestPackets.Rtp(sequenceNumber, Audio, payloadLength: i == 3 ? 0 : 20 + (37 * i), fill: (byte)i));
            packets.Add(TestPackets.Rtp((ushort)(4000 + i), Video, payloadLength: i == 5 ? 1200 : 100 + i,
                csrcs: i % 4, extensionWords: (i % 3) - 1, fill: (byte)(i * 7)));
        }

        // A late packet from before the wrap, still inside the replay window.
        packets.Add(TestPackets.Rtp(65528, Audio, payloadLength: 33));
        return packets;
    }

    private static List<byte[]> RtcpStream()
    {
        List<byte[]> packets = [];
        for (int i = 0; i < 6; i++)
        {
            packets.Add(TestPackets.Rtcp(Audio, reportBlocks: i % 3, fill: (byte)i));
            packets.Add(TestPackets.Rtcp(Video, reportBlocks: 1, fill: (byte)(100 + i)));
        }

        byte[] receiverReport = new byte[8];
        receiverReport[0] = 0x80;
        receiverReport[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(receiverReport.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(receiverReport.AsSpan(4), Audio);
        packets.Add(receiverReport);
        return packets;
    }

    private static int IndexOffset(SrtpProfile profile, int length) =>
        profile.IsAead ? length - 4 : length - profile.RtcpTagLength - 4;
}
