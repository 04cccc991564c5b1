namespace Parley.Rtp;

/// <summary>
/// Anything in this library that writes itself into a caller's buffer: ask for the length, then write. Implemented
/// by the ref struct packet views too, so generic code (a compound RTCP writer, a test) can take any of them with
/// <c>where T : IWireEncodable, allows ref struct</c> without boxing.
/// </summary>
public interface IWireEncodable
{
    /// <summary>The exact number of bytes <see cref="TryWrite"/> writes.</summary>
    int GetEncodedLength();

    /// <summary>Writes the value; false, with nothing promised about the destination, when it does not fit or a
    /// field is out of range. Never throws for either.</summary>
    bool TryWrite(Span<byte> destination, out int written);
}
