namespace Parley.Srtp.Tests;

/// <summary>Construction, the profiles' lengths, and what protect refuses.</summary>
public sealed class ContextTests
{
    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 16, 14, 10, 14)]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_32, 16, 14, 4, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12, 16, 20)]
    public void Each_profile_has_the_lengths_of_its_rfc(SrtpProfile profile, int key, int salt, int rtpOverhead, int rtcpOverhead)
    {
        Assert.Equal(key, profile.MasterKeyLength);
        Assert.Equal(salt, profile.MasterSaltLength);
        Assert.Equal(rtpOverhead, profile.RtpOverhead);
        Assert.Equal(rtcpOverhead, profile.RtcpOverhead);

        using SrtpContext context = TestKeys.Context(profile);
        Assert.Equal(profile, context.Profile);
        Assert.Equal(rtpOverhead, context.RtpOverhead);
        Assert.Equal(rtcpOverhead, context.RtcpOverhead);
    }

    [Fact]
    public void The_profiles_carry_their_dtls_srtp_registry_numbers()
    {
        Assert.Equal(0x0001, (ushort)SrtpProfile.Aes128CmHmacSha1_80);
        Assert.Equal(0x0002, (ushort)SrtpProfile.Aes128CmHmacSha1_32);
        Assert.Equal(0x0007, (ushort)SrtpProfile.AeadAes128Gcm);
    }

    [Fact]
    public void A_key_or_salt_of_the_wrong_length_or_an_unknown_profile_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SrtpContext(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14]));
        Assert.Throws<ArgumentException>(() => new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, new byte[16], new byte[12]));
        Assert.Throws<ArgumentException>(() => new SrtpContext(SrtpProfile.Aes128CmHmacSha1_80, new byte[32], new byte[14]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrtpContext((SrtpProfile)0x0008, new byte[32], new byte[12]));
        Assert.False(((SrtpProfile)0x0008).IsSupported);
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Protect_refuses_without_room_for_the_trailer_and_leaves_the_buffer_untouched(SrtpProfile profile)
    {
        using SrtpContext context = TestKeys.Context(profile);
        byte[] rtp = TestPackets.Rtp(1, 2, 20);
        byte[] rtcp = TestPackets.Rtcp(2);
        byte[] rtpBuffer = [.. rtp, .. new byte[context.RtpOverhead - 1]];
        byte[] rtcpBuffer = [.. rtcp, .. new byte[context.RtcpOverhead - 1]];

        Assert.False(context.TryProtectRtp(rtpBuffer, rtp.Length, out int length));
        Assert.Equal(0, length);
        Assert.False(context.TryProtectRtcp(rtcpBuffer, rtcp.Length, out length));
        Assert.Equal(rtp, rtpBuffer[..rtp.Length]);
        Assert.Equal(rtcp, rtcpBuffer[..rtcp.Length]);
    }

    [Fact]
    public void Protect_refuses_what_is_not_rtp_or_rtcp_version_2_and_lengths_outside_the_buffer()
    {
        using SrtpContext context = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        byte[] buffer = new byte[100];
        Assert.False(context.TryProtectRtp(buffer, 40, out _)); // version 0
        Assert.False(context.TryProtectRtcp(buffer, 40, out _));

        byte[] rtp = [.. TestPackets.Rtp(1, 2, 0, csrcs: 4), .. new byte[10]];
        Assert.False(context.TryProtectRtp(rtp, 12 + 12, out _)); // 4 CSRCs announced, 3 present
        Assert.False(context.TryProtectRtp(rtp, -1, out _));
        Assert.False(context.TryProtectRtp(rtp, rtp.Length + 1, out _));
        Assert.False(context.TryProtectRtcp(TestPackets.Rtcp(2), 7, out _));
    }

    [Fact]
    public void A_sender_whose_srtcp_indices_are_spent_refuses_to_protect_more()
    {
        using SrtpContext sender = TestKeys.Context(SrtpProfile.AeadAes128Gcm);
        using SrtpContext receiver = TestKeys.Context(SrtpProfile.AeadAes128Gcm);
        sender.SetNextRtcpIndex(2, 0x7FFF_FFFF);
        byte[] last = TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(2));

        Assert.Equal(TestPackets.Rtcp(2), TestPackets.UnprotectRtcp(receiver, last));
        byte[] buffer = [.. TestPackets.Rtcp(2), .. new byte[sender.RtcpOverhead]];
        Assert.False(sender.TryProtectRtcp(buffer, buffer.Length - sender.RtcpOverhead, out _));
    }
}
