namespace Parley.Srtp.Tests;

public sealed class Rfc7714VectorTests
{
    [Fact]
    public void The_srtp_and_srtcp_ivs_are_those_of_the_rfc()
    {
        Span<byte> iv = stackalloc byte[12];
        AesGcmCipher.WriteRtpNonce(Rfc7714Vectors.SessionSalt, 0x5501a0b2, 0xf17b, iv);
        Assert.Equal(Rfc7714Vectors.RtpIv, iv.ToArray());

        AesGcmCipher.WriteRtcpNonce(Rfc7714Vectors.SessionSalt, Rfc7714Vectors.RtcpSsrc, Rfc7714Vectors.RtcpIndex, iv);
        Assert.Equal(Rfc7714Vectors.RtcpIv, iv.ToArray());
    }

    [Fact]
    public void The_rtp_packet_is_encrypted_and_tagged_byte_for_byte()
    {
        using SrtpContext sender = Rfc7714Vectors.Context();
        Assert.Equal(Rfc7714Vectors.ProtectedRtpPacket, TestPackets.Protect(sender, Rfc7714Vectors.RtpPacket));
    }

    [Fact]
    public void The_protected_rtp_packet_is_verified_and_decrypted_byte_for_byte()
    {
        using SrtpContext receiver = Rfc7714Vectors.Context();
        Assert.Equal(Rfc7714Vectors.RtpPacket, TestPackets.Unprotect(receiver, Rfc7714Vectors.ProtectedRtpPacket));
    }

    [Fact]
    public void The_rtcp_packet_is_encrypted_and_tagged_byte_for_byte()
    {
        using SrtpContext sender = Rfc7714Vectors.Context();
        sender.SetNextRtcpIndex(Rfc7714Vectors.RtcpSsrc, Rfc7714Vectors.RtcpIndex);
        Assert.Equal(Rfc7714Vectors.ProtectedRtcpPacket, TestPackets.ProtectRtcp(sender, Rfc7714Vectors.RtcpPacket));
    }

    [Fact]
    public void The_protected_rtcp_packet_is_verified_and_decrypted_byte_for_byte()
    {
        using SrtpContext receiver = Rfc7714Vectors.Context();
        Assert.Equal(Rfc7714Vectors.RtcpPacket, TestPackets.UnprotectRtcp(receiver, Rfc7714Vectors.ProtectedRtcpPacket));
    }

    [Fact]
    public void The_rtcp_packet_is_tagged_without_encryption_byte_for_byte()
    {
        using SrtpContext sender = Rfc7714Vectors.Context(encryptRtcp: false);
        sender.SetNextRtcpIndex(Rfc7714Vectors.RtcpSsrc, Rfc7714Vectors.RtcpIndex);
        Assert.Equal(Rfc7714Vectors.AuthenticatedRtcpPacket, TestPackets.ProtectRtcp(sender, Rfc7714Vectors.RtcpPacket));
    }

    [Fact]
    public void The_tagged_only_rtcp_packet_is_verified_byte_for_byte_whatever_the_receivers_own_setting()
    {
        using SrtpContext receiver = Rfc7714Vectors.Context();
        Assert.Equal(Rfc7714Vectors.RtcpPacket, TestPackets.UnprotectRtcp(receiver, Rfc7714Vectors.AuthenticatedRtcpPacket));
    }

    [Fact]
    public void Flipping_the_e_flag_of_either_rtcp_vector_is_refused()
    {
        using SrtpContext receiver = Rfc7714Vectors.Context();
        byte[] encrypted = [.. Rfc7714Vectors.ProtectedRtcpPacket];
        encrypted[^4] ^= 0x80;
        byte[] authenticated = [.. Rfc7714Vectors.AuthenticatedRtcpPacket];
        authenticated[^4] ^= 0x80;

        Assert.Null(TestPackets.UnprotectRtcp(receiver, encrypted));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, authenticated));
    }
}
