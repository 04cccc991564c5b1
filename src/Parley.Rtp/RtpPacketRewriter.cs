using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// Rewrites a packet's fields where it lies, as an SFU does to every packet it forwards (new SSRC, sequence number,
/// timestamp and payload type per consumer, a fresh transport-wide sequence number and send time). Nothing is
/// allocated and nothing moves. The fixed-field setters expect a buffer that <see cref="RtpPacket.TryRead"/>
/// accepted (at least 12 bytes); the extension setters check the packet themselves and return false when it is
/// malformed or the element is absent or of another size.
/// </summary>
public static class RtpPacketRewriter
{
    public static void SetMarker(Span<byte> packet, bool marker) =>
        packet[1] = (byte)((packet[1] & 0x7F) | (marker ? 0x80 : 0));

    public static void SetPayloadType(Span<byte> packet, byte payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, RtpHeader.MaxPayloadType);
        packet[1] = (byte)((packet[1] & 0x80) | payloadType);
    }

    public static void SetSequenceNumber(Span<byte> packet, ushort sequenceNumber) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequenceNumber);

    public static void SetTimestamp(Span<byte> packet, uint timestamp) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);

    public static void SetSsrc(Span<byte> packet, uint ssrc) => BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);

    /// <summary>The writable value of the first extension element with this id.</summary>
    public static bool TryGetExtensionValue(Span<byte> packet, byte id, out Span<byte> value)
    {
        value = default;
        if (!RtpPacket.TryRead(packet, out RtpPacket parsed) || !parsed.Extension.IsPresent
            || !parsed.Extension.TryFindElement(id, out int valueOffset, out int valueLength))
        {
            return false;
        }

        int dataOffset = RtpPacket.FixedHeaderLength + parsed.Csrcs.EncodedLength + RtpHeaderExtension.HeaderLength;
        value = packet.Slice(dataOffset + valueOffset, valueLength);
        return true;
    }

    /// <summary>Overwrites an element's value with one of the same length.</summary>
    public static bool TrySetExtensionValue(Span<byte> packet, byte id, ReadOnlySpan<byte> value)
    {
        if (!TryGetExtensionValue(packet, id, out Span<byte> destination) || destination.Length != value.Length)
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    /// <summary>Overwrites a typed element, e.g. <see cref="TransportSequenceNumber"/> or
    /// <see cref="AbsoluteSendTime"/>, when the present element has the length the new value encodes to.</summary>
    public static bool TrySetExtension<T>(Span<byte> packet, byte id, in T value) where T : struct, IRtpExtensionValue<T>
    {
        if (!TryGetExtensionValue(packet, id, out Span<byte> destination) || destination.Length != value.GetEncodedLength())
        {
            return false;
        }

        // Encode aside first, so that a value out of range leaves the packet as it was.
        Span<byte> scratch = stackalloc byte[ExtensionText.MaxLength];
        if (!value.TryWrite(scratch, out int written) || written != destination.Length)
        {
            return false;
        }

        scratch[..written].CopyTo(destination);
        return true;
    }
}
