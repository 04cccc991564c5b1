using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489 §5-6): a validated view over the bytes it was parsed from, which it does not copy.
/// Attributes are looked up on demand; nothing is allocated per attribute.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The bytes must outlive the message: parse from a buffer that is not reused while the message is in use.
/// </summary>
public readonly struct StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    private const int NotPresent = -1;

    private readonly int _integrityOffset;
    private readonly int _integritySha256Offset;
    private readonly int _fingerprintOffset;

    /// <summary>Offset past the first integrity attribute: later attributes other than
    /// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (RFC 8489 §14.5).</summary>
    private readonly int _protectedEnd;

    private StunMessage(ReadOnlyMemory<byte> raw, StunMessageType type, TransactionId transactionId,
        int integrityOffset, int integritySha256Offset, int fingerprintOffset, int protectedEnd)
    {
        Raw = raw;
        Type = type;
        TransactionId = transactionId;
        _integrityOffset = integrityOffset;
        _integritySha256Offset = integritySha256Offset;
        _fingerprintOffset = fingerprintOffset;
        _protectedEnd = protectedEnd;
    }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public StunMessageType Type { get; }

    public TransactionId TransactionId { get; }

    public StunMethod Method => Type.Method;

    public StunClass Class => Type.Class;

    public bool HasMessageIntegrity => _integrityOffset != NotPresent;

    public bool HasMessageIntegritySha256 => _integritySha256Offset != NotPresent;

    public bool HasFingerprint => _fingerprintOffset != NotPresent;

    /// <summary>
    /// A cheap test for demultiplexing (RFC 7983): the first two bits are zero, the length is a multiple of four and
    /// the magic cookie is in place. It does not validate the attributes.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength
        && (data[0] & 0xC0) == 0
        && (data[3] & 0x03) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie;

    /// <summary>
    /// Whether bytes that failed <see cref="TryParse"/> still have a sound request header whose length matches: a
    /// request worth a 400 answer (to the id and method read here), rather than junk to drop unanswered.
    /// </summary>
    public static bool IsWellFramedRequest(ReadOnlySpan<byte> data, out TransactionId transactionId, out StunMethod method)
    {
        transactionId = default;
        method = default;
        if (!LooksLikeStun(data)
            || BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + HeaderLength != data.Length
            || !StunMessageType.TryFromValue(BinaryPrimitives.ReadUInt16BigEndian(data), out StunMessageType type)
            || type.Class != StunClass.Request)
        {
            return false;
        }

        transactionId = TransactionId.Read(data[8..]);
        method = type.Method;
        return true;
    }

    /// <summary>
    /// Parses one whole message: the data must be exactly one message long (a datagram, or a frame cut from a
    /// stream with <see cref="StunFraming"/>). Returns false on anything malformed: a bad header, an attribute that
    /// runs past the end, a structural attribute (MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, FINGERPRINT) of the
    /// wrong size, or anything after FINGERPRINT.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> data, out StunMessage message)
    {
        message = default;
        ReadOnlySpan<byte> span = data.Span;
        if (!LooksLikeStun(span))
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        if (HeaderLength + length != span.Length
            || !StunMessageType.TryFromValue(BinaryPrimitives.ReadUInt16BigEndian(span), out StunMessageType type))
        {
            return false;
        }

        int integrity = NotPresent, integritySha256 = NotPresent, fingerprint = NotPresent;
        int protectedEnd = span.Length;
        int offset = HeaderLength;
        while (offset < span.Length)
        {
            if (fingerprint != NotPresent || span.Length - offset < 4)
            {
                return false; // FINGERPRINT must be last; or a truncated attribute header
            }

            var attributeType = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            int padded = (valueLength + 3) & ~3;
            if (padded > span.Length - offset - 4)
            {
                return false;
            }

            bool beforeProtectedEnd = offset < protectedEnd;
            switch (attributeType)
            {
                case StunAttributeType.MessageIntegrity when beforeProtectedEnd:
                    if (valueLength != StunIntegrity.Sha1Length)
                    {
                        return false;
                    }

                    integrity = offset;
                    protectedEnd = offset + 4 + padded;
                    break;
                case StunAttributeType.MessageIntegritySha256 when integritySha256 == NotPresent:
                    if (valueLength < 16 || valueLength > StunIntegrity.Sha256Length || valueLength % 4 != 0)
                    {
                        return false;
                    }

                    integritySha256 = offset;
                    protectedEnd = Math.Min(protectedEnd, offset + 4 + padded);
                    break;
                case StunAttributeType.Fingerprint:
                    if (valueLength != 4)
                    {
                        return false;
                    }

                    fingerprint = offset;
                    break;
            }

            offset += 4 + padded;
        }

        message = new StunMessage(data, type, TransactionId.Read(span[8..]), integrity, integritySha256, fingerprint,
            protectedEnd);
        return true;
    }

    /// <summary>The attributes in order, without those that follow the integrity attributes and are to be ignored.</summary>
    public AttributeEnumerator GetAttributes() => new(this);

    /// <summary>The first occurrence of an attribute (RFC 8489 §14: later duplicates are ignored).</summary>
    public bool TryGetAttribute(StunAttributeType type, out ReadOnlyMemory<byte> value)
    {
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool Contains(StunAttributeType type) => TryGetAttribute(type, out _);

    /// <summary>Reads a typed attribute: false when it is absent or its value is malformed.</summary>
    public bool TryGet<T>(out T attribute) where T : struct, IStunAttribute<T>
    {
        if (TryGetAttribute(T.Type, out ReadOnlyMemory<byte> value))
        {
            return T.TryRead(value, TransactionId, out attribute);
        }

        attribute = default;
        return false;
    }

    /// <summary>
    /// Collects the comprehension-required attributes that <paramref name="isUnderstood"/> rejects, for a 420
    /// response's UNKNOWN-ATTRIBUTES; each type once, as many as fit.
    /// </summary>
    public int GetUnknownComprehensionRequired(Span<StunAttributeType> destination, Func<StunAttributeType, bool> isUnderstood)
    {
        int count = 0;
        foreach (StunAttribute attribute in GetAttributes())
        {
            if (attribute.Type.IsComprehensionRequired() && !isUnderstood(attribute.Type)
                && !destination[..count].Contains(attribute.Type) && count < destination.Length)
            {
                destination[count++] = attribute.Type;
            }
        }

        return count;
    }

    /// <summary>Checks MESSAGE-INTEGRITY (HMAC-SHA1) with a short-term password or a long-term key.</summary>
    public bool CheckMessageIntegrity(ReadOnlySpan<byte> key) => CheckHmac(_integrityOffset, key, sha256: false);

    /// <summary>Checks MESSAGE-INTEGRITY-SHA256, which may be truncated to 16 bytes or more.</summary>
    public bool CheckMessageIntegritySha256(ReadOnlySpan<byte> key) => CheckHmac(_integritySha256Offset, key, sha256: true);

    /// <summary>True when FINGERPRINT is present and matches; a message without it gives false.</summary>
    public bool CheckFingerprint()
    {
        if (_fingerprintOffset == NotPresent)
        {
            return false;
        }

        ReadOnlySpan<byte> span = Raw.Span;
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(span[(_fingerprintOffset + 4)..]);
        return StunIntegrity.ComputeFingerprint(span[.._fingerprintOffset]) == expected;
    }

    private bool CheckHmac(int offset, ReadOnlySpan<byte> key, bool sha256)
    {
        if (offset == NotPresent)
        {
            return false;
        }

        ReadOnlySpan<byte> span = Raw.Span;
        int valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
        Span<byte> mac = stackalloc byte[StunIntegrity.Sha256Length];
        StunIntegrity.ComputeHmac(span, offset, valueLength, key, sha256, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..valueLength], span.Slice(offset + 4, valueLength));
    }

    public override string ToString() => $"{Type} {TransactionId} ({Raw.Length} bytes)";

    /// <summary>Walks the attributes of a parsed (hence well-formed) message without allocating.</summary>
    public struct AttributeEnumerator
    {
        private readonly StunMessage _message;
        private int _next;

        internal AttributeEnumerator(StunMessage message)
        {
            _message = message;
            _next = message.Raw.IsEmpty ? 0 : HeaderLength;
            Current = default;
        }

        public StunAttribute Current { get; private set; }

        public readonly AttributeEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            ReadOnlySpan<byte> span = _message.Raw.Span;
            while (_next != 0 && _next < span.Length)
            {
                int offset = _next;
                var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
                int valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
                _next = offset + 4 + ((valueLength + 3) & ~3);
                bool visible = offset < _message._protectedEnd
                    || offset == _message._integritySha256Offset
                    || offset == _message._fingerprintOffset;
                if (visible)
                {
                    Current = new StunAttribute(type, offset, _message.Raw.Slice(offset + 4, valueLength));
                    return true;
                }
            }

            return false;
        }
    }
}
