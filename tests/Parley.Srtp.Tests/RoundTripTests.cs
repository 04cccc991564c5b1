namespace Parley.Srtp.Tests;

public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Rtp_and_rtcp_of_random_sizes_and_shapes_round_trip(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        var random = new Random(42 + (int)profile);
        ushort sequenceNumber = (ushort)random.Next();
        for (int i = 0; i < 600; i++)
        {
            byte[] rtp = TestPackets.Rtp(sequenceNumber++, 0xABCD, random.Next(0, 1400), csrcs: random.Next(0, 16),
                extensionWords: random.Next(-1, 8), fill: (byte)random.Next());
            byte[] srtp = TestPackets.Protect(sender, rtp);
            Assert.True(RtpHeaderFields.TryRead(rtp, out RtpHeaderFields header));
            if (rtp.Length - header.Length >= 8)
            {
                Assert.NotEqual(rtp[^8..], srtp[(rtp.Length - 8)..rtp.Length]); // the payload was encrypted
            }

            Assert.Equal(rtp, TestPackets.Unprotect(receiver, srtp));

            byte[] rtcp = TestPackets.Rtcp(0xABCD, reportBlocks: random.Next(0, 31), fill: (byte)random.Next());
            Assert.Equal(rtcp, TestPackets.UnprotectRtcp(receiver, TestPackets.ProtectRtcp(sender, rtcp)));
        }
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Sender_and_receiver_agree_on_the_rollover_counter_across_hundreds_of_wraps(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        var random = new Random(7);
        ushort sequenceNumber = 65000;
        for (int i = 0; i < 2_000; i++)
        {
            byte[] rtp = TestPackets.Rtp(sequenceNumber, 0x77, 16, fill: (byte)i);
            Assert.True(TestPackets.Unprotect(receiver, TestPackets.Protect(sender, rtp)) is not null, $"packet {i}");
            sequenceNumber += (ushort)random.Next(1, 30_000);
        }
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void A_sender_protecting_out_of_order_across_a_wrap_keeps_its_rollover_counter(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        ushort[] order = [65533, 65534, 1, 65535, 0, 2, 65532, 3];
        byte[][] srtp = [.. order.Select(s => TestPackets.Protect(sender, TestPackets.Rtp(s, 0x99, 10)))];
        foreach (byte[] packet in srtp)
        {
            Assert.NotNull(TestPackets.Unprotect(receiver, packet));
        }
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void A_context_from_the_same_master_key_reads_what_another_protected(SrtpProfile profile)
    {
        // The SFU's situation: the publisher's context unprotects, the subscriber's protects under another key.
        using SrtpContext fromPublisher = TestKeys.Context(profile, seed: 1), publisher = TestKeys.Context(profile, seed: 1);
        using SrtpContext toSubscriber = TestKeys.Context(profile, seed: 2), subscriber = TestKeys.Context(profile, seed: 2);
        byte[] rtp = TestPackets.Rtp(123, 0x5, 200, csrcs: 1, extensionWords: 1);

        byte[] received = TestPackets.Unprotect(fromPublisher, TestPackets.Protect(publisher, rtp))!;
        Assert.Equal(rtp, TestPackets.Unprotect(subscriber, TestPackets.Protect(toSubscriber, received)));
    }
}
