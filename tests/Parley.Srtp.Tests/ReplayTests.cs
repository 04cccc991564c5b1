namespace Parley.Srtp.Tests;

/// <summary>The replay protection of RFC 3711 §3.3.2 with a 64-packet window, for SRTP and SRTCP.</summary>
public sealed class ReplayTests
{
    private const uint Ssrc = 0x0BADCAFE;

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void A_replayed_rtp_or_rtcp_packet_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[] srtp = TestPackets.Protect(sender, TestPackets.Rtp(10, Ssrc, 40));
        byte[] srtcp = TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(Ssrc));

        Assert.NotNull(TestPackets.Unprotect(receiver, srtp));
        Assert.Null(TestPackets.Unprotect(receiver, srtp));
        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, srtcp));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, srtcp));
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Rtp_reordered_within_the_window_is_accepted_once_and_older_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[][] srtp = [.. Enumerable.Range(0, 200).Select(i => TestPackets.Protect(sender, TestPackets.Rtp((ushort)(65400 + i), Ssrc, 24)))];

        Assert.NotNull(TestPackets.Unprotect(receiver, srtp[0])); // the receiver learns ROC 0 here
        Assert.NotNull(TestPackets.Unprotect(receiver, srtp[150])); // after the wrap: index 2^16 + 14
        for (int i = 149; i >= 87; i--)
        {
            Assert.True(TestPackets.Unprotect(receiver, srtp[i]) is not null, $"packet {i}, {150 - i} behind");
            Assert.Null(TestPackets.Unprotect(receiver, srtp[i]));
        }

        Assert.Null(TestPackets.Unprotect(receiver, srtp[86])); // 64 behind: out of the window
        Assert.Null(TestPackets.Unprotect(receiver, srtp[0]));
        Assert.NotNull(TestPackets.Unprotect(receiver, srtp[199]));
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Rtcp_reordered_within_the_window_is_accepted_once_and_older_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[][] srtcp = [.. Enumerable.Range(0, 100).Select(i => TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(Ssrc, fill: (byte)i)))];

        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, srtcp[90]));
        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, srtcp[27]));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, srtcp[27]));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, srtcp[26]));
        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, srtcp[99]));
    }

    [Fact]
    public void Each_ssrc_has_its_own_window()
    {
        using SrtpContext sender = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        using SrtpContext receiver = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);

        Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(5000, 1, 10))));
        Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(5, 2, 10))));
        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(1))));
        Assert.NotNull(TestPackets.UnprotectRtcp(receiver, TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(2))));
    }

    [Fact]
    public void Receive_state_is_kept_for_at_most_the_limit_of_ssrcs()
    {
        using SrtpContext sender = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        using SrtpContext receiver = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        for (uint ssrc = 0; ssrc < SrtpContext.MaxReceivedSsrcs; ssrc++)
        {
            Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(1, ssrc, 4))));
        }

        Assert.Null(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(1, 5_000_000, 4))));
        Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(2, 0, 4))));
    }
}
