namespace Parley.Stun.Attributes;

/// <summary>
/// EVEN-PORT (RFC 8656 §18.7): the client asks for a relayed port that is even and, with the R bit, that the next
/// port up be reserved for a later allocation (its RESERVATION-TOKEN comes back in the response). One byte long.
/// <code>
/// |R|    RFFU     |
/// </code>
/// </summary>
public readonly record struct EvenPort(bool ReserveNextPort) : IStunAttribute<EvenPort>
{
    private const byte ReserveFlag = 0x80;

    public static StunAttributeType Type => StunAttributeType.EvenPort;

    public int ValueLength => 1;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out EvenPort attribute)
    {
        bool ok = value.Length == 1;
        attribute = new EvenPort(ok && (value.Span[0] & ReserveFlag) != 0);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        destination[0] = ReserveNextPort ? ReserveFlag : (byte)0;
}
