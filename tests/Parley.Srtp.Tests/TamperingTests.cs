namespace Parley.Srtp.Tests;

/// <summary>Any change to a protected packet, in its header, payload, trailer or tag, is refused.</summary>
public sealed class TamperingTests
{
    public static TheoryData<SrtpProfile, bool> ProfilesAndRtcpEncryption
    {
        get
        {
            var data = new TheoryData<SrtpProfile, bool>();
            foreach (SrtpProfile profile in TestPackets.Profiles)
            {
                data.Add(profile, true);
                data.Add(profile, false);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Every_single_bit_flip_of_a_protected_rtp_packet_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[] plain = TestPackets.Rtp(500, 0x01020304, 48, csrcs: 2, extensionWords: 1);
        byte[] srtp = TestPackets.Protect(sender, plain);

        for (int bit = 0; bit < srtp.Length * 8; bit++)
        {
            byte[] tampered = [.. srtp];
            tampered[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.True(TestPackets.Unprotect(receiver, tampered) is null, $"bit {bit} flipped was accepted");
        }

        // The refusals left no trace: the genuine packet is still new.
        Assert.Equal(plain, TestPackets.Unprotect(receiver, srtp));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndRtcpEncryption))]
    public void Every_single_bit_flip_of_a_protected_rtcp_packet_is_refused(SrtpProfile profile, bool encrypt)
    {
        using SrtpContext sender = new(profile, TestKeys.For(profile).Key, TestKeys.For(profile).Salt) { EncryptRtcp = encrypt };
        using SrtpContext receiver = TestKeys.Context(profile);
        byte[] plain = TestPackets.Rtcp(0x0A0B0C0D, reportBlocks: 1);
        byte[] srtcp = TestPackets.ProtectRtcp(sender, plain);

        for (int bit = 0; bit < srtcp.Length * 8; bit++)
        {
            byte[] tampered = [.. srtcp];
            tampered[bit / 8] ^= (byte)(0x80 >> (bit % 8));
            Assert.True(TestPackets.UnprotectRtcp(receiver, tampered) is null, $"bit {bit} flipped was accepted");
        }

        Assert.Equal(plain, TestPackets.UnprotectRtcp(receiver, srtcp));
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Every_truncated_prefix_and_any_longer_packet_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[] rtp = TestPackets.Rtp(7, 0x55, 30, csrcs: 1, extensionWords: 2);
        byte[] rtcp = TestPackets.Rtcp(0x55);
        byte[] srtp = TestPackets.Protect(sender, rtp);
        byte[] srtcp = TestPackets.ProtectRtcp(sender, rtcp);

        for (int length = 0; length < srtp.Length; length++)
        {
            Assert.True(TestPackets.Unprotect(receiver, srtp[..length]) is null, $"RTP prefix of {length} bytes");
        }

        for (int length = 0; length < srtcp.Length; length++)
        {
            Assert.True(TestPackets.UnprotectRtcp(receiver, srtcp[..length]) is null, $"RTCP prefix of {length} bytes");
        }

        Assert.Null(TestPackets.Unprotect(receiver, [.. srtp, 0]));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, [.. srtcp, 0, 0, 0, 0]));
        Assert.Equal(rtp, TestPackets.Unprotect(receiver, srtp));
        Assert.Equal(rtcp, TestPackets.UnprotectRtcp(receiver, srtcp));
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void A_packet_under_another_key_is_refused(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile, seed: 1), receiver = TestKeys.Context(profile, seed: 2);
        Assert.Null(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(1, 9, 20))));
        Assert.Null(TestPackets.UnprotectRtcp(receiver, TestPackets.ProtectRtcp(sender, TestPackets.Rtcp(9))));
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void A_forged_packet_far_ahead_does_not_move_the_window_or_the_rollover_counter(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(60000, 3, 20))));

        // Sequence number 200 would be the next rollover; with a bad tag it must change nothing.
        using SrtpContext forger = TestKeys.Context(profile, seed: 99);
        byte[] forged = TestPackets.Protect(forger, TestPackets.Rtp(200, 3, 20));
        Assert.Null(TestPackets.Unprotect(receiver, forged));

        Assert.NotNull(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, TestPackets.Rtp(60001, 3, 20))));
    }
}
