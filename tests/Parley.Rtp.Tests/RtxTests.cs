namespace Parley.Rtp.Tests;

public sealed class RtxTests
{
    [Fact]
    public void Wrapping_prepends_the_osn_and_takes_the_rtx_stream_identity()
    {
        byte[] buffer = new byte[RtxPacket.GetMaxWrappedLength(RtpVectors.RtxOriginal.Length)];
        Assert.True(RtxPacket.TryWrap(RtpVectors.RtxOriginal, buffer, 0x22222222, 97, 1280, out int written));
        Assert.Equal(RtpVectors.Rtx, buffer[..written]);
        Assert.True(RtxPacket.TryReadOriginalSequenceNumber(RtpVectors.Rtx, out ushort osn));
        Assert.Equal(100, osn);
    }

    [Fact]
    public void Unwrapping_restores_the_original_byte_for_byte()
    {
        byte[] buffer = new byte[RtpVectors.Rtx.Length];
        Assert.True(RtxPacket.TryUnwrap(RtpVectors.Rtx, buffer, 0x11111111, 96, out int written));
        Assert.Equal(RtpVectors.RtxOriginal, buffer[..written]);
    }

    [Fact]
    public void Both_directions_work_in_place()
    {
        byte[] buffer = new byte[64];
        RtpVectors.RtxOriginal.CopyTo(buffer, 0);
        Span<byte> span = buffer;
        Assert.True(RtxPacket.TryWrap(span[..RtpVectors.RtxOriginal.Length], span, 0x22222222, 97, 1280, out int wrapped));
        Assert.Equal(RtpVectors.Rtx, buffer[..wrapped]);
        Assert.True(RtxPacket.TryUnwrap(span[..wrapped], span, 0x11111111, 96, out int unwrapped));
        Assert.Equal(RtpVectors.RtxOriginal, buffer[..unwrapped]);
    }

    [Fact]
    public void Padding_is_dropped_and_csrcs_are_kept()
    {
        byte[] buffer = new byte[64];
        Assert.True(RtxPacket.TryWrap(RtpVectors.CsrcsAndPadding, buffer, 9, 97, 5, out int written));
        Assert.True(RtpPacket.TryRead(buffer.AsSpan(0, written), out RtpPacket rtx));
        Assert.Equal(0, rtx.PaddingLength);
        Assert.Equal(2, rtx.Csrcs.Count);
        Assert.True(rtx.Marker);
        Assert.Equal(new byte[] { 0xff, 0xff, 1, 2, 3 }, rtx.Payload.ToArray());
    }

    [Fact]
    public void A_padding_only_probe_or_a_short_buffer_cannot_be_unwrapped()
    {
        byte[] probe = Hex.Parse("a0 61 00 01 00 00 00 0a 22 22 22 22 00 00 00 04");
        Assert.False(RtxPacket.TryUnwrap(probe, new byte[64], 1, 96, out _));
        Assert.False(RtxPacket.TryReadOriginalSequenceNumber(probe, out _));
        Assert.False(RtxPacket.TryUnwrap(RtpVectors.Rtx, new byte[RtpVectors.RtxOriginal.Length - 1], 1, 96, out _));
        Assert.False(RtxPacket.TryWrap(RtpVectors.RtxOriginal, new byte[RtpVectors.Rtx.Length - 1], 1, 97, 1, out _));
        Assert.False(RtxPacket.TryWrap([0x80, 0x60], new byte[64], 1, 97, 1, out _));
    }
}
