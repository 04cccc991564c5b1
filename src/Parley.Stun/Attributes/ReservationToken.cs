using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>RESERVATION-TOKEN (RFC 8656 §18.10): 8 opaque bytes naming a relayed port the server holds back, sent
/// in the Allocate response that reserved it (EVEN-PORT with R) and in the Allocate request that claims it.
/// Held as a 64-bit number in network order.</summary>
public readonly record struct ReservationToken(ulong Token) : IStunAttribute<ReservationToken>
{
    public static StunAttributeType Type => StunAttributeType.ReservationToken;

    public int ValueLength => 8;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ReservationToken attribute)
    {
        bool ok = value.Length == 8;
        attribute = ok ? new ReservationToken(BinaryPrimitives.ReadUInt64BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, Token);

    public override string ToString() => Token.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
