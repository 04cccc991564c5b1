namespace Parley.Srtp.Tests;

/// <summary>The index estimation of RFC 3711 Appendix A, case by case.</summary>
public sealed class PacketIndexTests
{
    public static TheoryData<ulong, ushort, ulong> Estimates => new()
    {
        // highest (ROC << 16 | s_l), SEQ, expected index
        { 0x0_0000, 0, 0x0_0000 },
        { 0x0_0010, 0x0011, 0x0_0011 },              // in order
        { 0x0_0010, 0x000F, 0x0_000F },              // just behind
        { 0x0_0010, 0x8010, 0x0_8010 },              // exactly 2^15 ahead: still this ROC
        { 0x1_0010, 0x8011, 0x0_8011 },              // s_l < 2^15, SEQ more than 2^15 above: the previous ROC
        { 0x1_FFF0, 0x0005, 0x2_0005 },              // s_l >= 2^15, SEQ below s_l - 2^15: the next ROC (the wrap)
        { 0x1_FFF0, 0x7FF0, 0x1_7FF0 },              // s_l - 2^15 is not above SEQ: this ROC
        { 0x1_8000, 0x0000, 0x1_0000 },              // s_l = 2^15, SEQ 0: not below s_l - 2^15
        { 0x5_C000, 0x3FFF, 0x6_3FFF },
        { 0xFFFF_FFFE_FFFF, 0x0001, 0xFFFF_FFFF_0001 },
    };

    [Theory]
    [MemberData(nameof(Estimates))]
    public void The_index_is_estimated_as_in_appendix_a(ulong highest, ushort sequenceNumber, ulong expected)
    {
        Assert.True(SrtpPacketIndex.TryEstimate(highest, sequenceNumber, out ulong index));
        Assert.Equal(expected, index);
    }

    [Fact]
    public void A_guess_before_the_first_rollover_or_past_the_last_is_refused()
    {
        Assert.False(SrtpPacketIndex.TryEstimate(0x0_0010, 0x9000, out _));
        Assert.False(SrtpPacketIndex.TryEstimate(SrtpPacketIndex.Max, 0x0001, out _));
    }
}
