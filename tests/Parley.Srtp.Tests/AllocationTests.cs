using System.Buffers.Binary;

namespace Parley.Srtp.Tests;

/// <summary>The per-packet path allocates nothing once an SSRC has been seen.</summary>
public sealed class AllocationTests
{
    private const int Packets = 5_000;

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Protecting_and_unprotecting_rtp_and_rtcp_allocates_nothing_in_steady_state(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        byte[] rtp = TestPackets.Rtp(0, 0x1234, 1100, csrcs: 1, extensionWords: 2);
        byte[] rtcp = TestPackets.Rtcp(0x1234, reportBlocks: 2);
        byte[] buffer = new byte[1500];

        // The first round sees new SSRCs, grows buffers and gets the code jitted.
        Assert.Equal(0, RoundTrips(sender, receiver, rtp, rtcp, buffer, 0, 300));
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = RoundTrips(sender, receiver, rtp, rtcp, buffer, 300, Packets);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Refusing_a_forged_or_replayed_aes_cm_packet_allocates_nothing()
    {
        using SrtpContext sender = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        using SrtpContext receiver = TestKeys.Context(SrtpProfile.Aes128CmHmacSha1_80);
        byte[] srtp = TestPackets.Protect(sender, TestPackets.Rtp(1, 0x1234, 200));
        byte[] forged = [.. srtp];
        forged[^1] ^= 1;
        byte[] work = new byte[srtp.Length];
        srtp.CopyTo(work, 0);
        Assert.True(receiver.TryUnprotectRtp(work, out _));

        int accepted = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            forged.CopyTo(work, 0);
            accepted += receiver.TryUnprotectRtp(work, out _) ? 1 : 0;
            srtp.CopyTo(work, 0);
            accepted += receiver.TryUnprotectRtp(work, out _) ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, accepted);
        Assert.Equal(0, allocated);
    }

    /// <summary>Returns how many round trips went wrong (counted, not asserted: xunit's asserts allocate).</summary>
    private static int RoundTrips(SrtpContext sender, SrtpContext receiver, byte[] rtp, byte[] rtcp, byte[] buffer,
        int from, int to)
    {
        int failures = 0;
        for (int i = from; i < to; i++)
        {
            rtp.CopyTo(buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(60_000 + i));
            if (!sender.TryProtectRtp(buffer, rtp.Length, out int length)
                || !receiver.TryUnprotectRtp(buffer.AsSpan(0, length), out int plain) || plain != rtp.Length
                || !buffer.AsSpan(4, plain - 4).SequenceEqual(rtp.AsSpan(4)))
            {
                failures++;
            }

            if (i % 8 == 0)
            {
                rtcp.CopyTo(buffer, 0);
                if (!sender.TryProtectRtcp(buffer, rtcp.Length, out length)
                    || !receiver.TryUnprotectRtcp(buffer.AsSpan(0, length), out plain)
                    || !buffer.AsSpan(0, plain).SequenceEqual(rtcp))
                {
                    failures++;
                }
            }
        }

        return failures;
    }
}
