using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// The transport-wide sequence number element
/// <c>http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01</c> (§2.2 of that draft): one
/// 16-bit counter over every packet of the transport, which transport-wide congestion control feedback reports on.
/// Two bytes, big-endian.
/// </summary>
public readonly record struct TransportSequenceNumber(ushort Value) : IRtpExtensionValue<TransportSequenceNumber>
{
    public const int EncodedLength = 2;

    public static string Uri => "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public static bool TryRead(ReadOnlySpan<byte> value, out TransportSequenceNumber element)
    {
        bool ok = value.Length == EncodedLength;
        element = ok ? new TransportSequenceNumber(BinaryPrimitives.ReadUInt16BigEndian(value)) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        bool ok = BinaryPrimitives.TryWriteUInt16BigEndian(destination, Value);
        written = ok ? EncodedLength : 0;
        return ok;
    }
}
