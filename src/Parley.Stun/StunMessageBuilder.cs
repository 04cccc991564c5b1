using System.Buffers;
using System.Buffers.Binary;

namespace Parley.Stun;

/// <summary>
/// Writes a STUN message into a caller's buffer: the header first, then attributes in the order they are added,
/// keeping the header's length field current so that MESSAGE-INTEGRITY and FINGERPRINT, added last, cover
/// exactly what RFC 8489 §14.5-14.7 says. Nothing is allocated. A buffer too small for what is added is a
/// programming error and throws; size buffers for the largest message the caller builds.
/// </summary>
public ref struct StunMessageBuilder
{
    /// <summary>The largest message the 16-bit length field can describe.</summary>
    public const int MaxMessageLength = StunMessage.HeaderLength + ushort.MaxValue - 3;

    private readonly Span<byte> _buffer;
    private readonly TransactionId _transactionId;
    private readonly byte _paddingByte;
    private int _length;

    /// <param name="paddingByte">The value of padding bytes: zero, as RFC 8489 recommends; RFC 5769's
    /// vectors pad with spaces to show that receivers must ignore the value.</param>
    public StunMessageBuilder(Span<byte> buffer, StunMessageType type, TransactionId transactionId, byte paddingByte = 0)
    {
        if (buffer.Length < StunMessage.HeaderLength)
        {
            throw new ArgumentException("The buffer cannot hold a STUN header.", nameof(buffer));
        }

        _buffer = buffer;
        _transactionId = transactionId;
        _paddingByte = paddingByte;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type.Value);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.WriteTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>The message as written so far.</summary>
    public readonly ReadOnlySpan<byte> Message => _buffer[.._length];

    public void Add<T>(in T attribute) where T : struct, IStunAttribute<T>
    {
        Span<byte> value = Reserve(T.Type, attribute.ValueLength);
        attribute.WriteValue(value, _transactionId);
    }

    /// <summary>Adds an attribute from its raw value bytes.</summary>
    public void AddRaw(StunAttributeType type, scoped ReadOnlySpan<byte> value) => value.CopyTo(Reserve(type, value.Length));

    /// <summary>MESSAGE-INTEGRITY: HMAC-SHA1 keyed with the short-term password or the long-term key.</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key) => AddHmac(StunAttributeType.MessageIntegrity,
        StunIntegrity.Sha1Length, key, sha256: false);

    /// <summary>MESSAGE-INTEGRITY-SHA256, untruncated (32 bytes).</summary>
    public void AddMessageIntegritySha256(scoped ReadOnlySpan<byte> key) => AddHmac(StunAttributeType.MessageIntegritySha256,
        StunIntegrity.Sha256Length, key, sha256: true);

    /// <summary>FINGERPRINT; it must be the last attribute.</summary>
    public void AddFingerprint()
    {
        int offset = _length;
        Span<byte> value = Reserve(StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(value, StunIntegrity.ComputeFingerprint(_buffer[..offset]));
    }

    /// <summary>Copies the message into a buffer writer.</summary>
    public readonly void CopyTo(IBufferWriter<byte> writer) => writer.Write(Message);

    private void AddHmac(StunAttributeType type, int macLength, scoped ReadOnlySpan<byte> key, bool sha256)
    {
        int offset = _length;
        Span<byte> value = Reserve(type, macLength);
        Span<byte> mac = stackalloc byte[StunIntegrity.Sha256Length];
        // Reserve has already set the header length to end at this attribute, so the bytes before it are the input.
        StunIntegrity.ComputeHmac(_buffer, offset, macLength, key, sha256, mac);
        mac[..macLength].CopyTo(value);
    }

    private Span<byte> Reserve(StunAttributeType type, int valueLength)
    {
        int padded = (valueLength + 3) & ~3;
        int end = _length + 4 + padded;
        if (valueLength > ushort.MaxValue || end > _buffer.Length || end > MaxMessageLength)
        {
            throw new InvalidOperationException(
                $"The {type} attribute ({valueLength} bytes) does not fit the {_buffer.Length}-byte buffer.");
        }

        Span<byte> attribute = _buffer[_length..end];
        BinaryPrimitives.WriteUInt16BigEndian(attribute, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(attribute[2..], (ushort)valueLength);
        attribute[(4 + valueLength)..].Fill(_paddingByte);
        _length = end;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunMessage.HeaderLength));
        return attribute.Slice(4, valueLength);
    }
}
