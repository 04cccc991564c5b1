namespace Parley.Rtp.Tests;

internal static class Wire
{
    /// <summary>Writes a value into a buffer of exactly its encoded length, checking that one byte less is refused.</summary>
    public static byte[] Encode<T>(T value) where T : IWireEncodable, allows ref struct
    {
        int length = value.GetEncodedLength();
        byte[] buffer = new byte[length];
        Assert.True(value.TryWrite(buffer, out int written), "TryWrite refused");
        Assert.Equal(length, written);
        if (length > 0)
        {
            Assert.False(value.TryWrite(buffer.AsSpan(0, length - 1), out _), "TryWrite wrote into too small a buffer");
        }

        return buffer;
    }
}
