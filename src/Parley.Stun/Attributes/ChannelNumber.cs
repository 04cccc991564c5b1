using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// CHANNEL-NUMBER (RFC 8656 §18.1): the channel a ChannelBind request binds to a peer.
/// <code>
/// |        Channel Number         |         RFFU = 0              |
/// </code>
/// Any 16-bit number is read, so that a server can answer a number outside the range with 400 (Bad Request) as
/// §11.2 asks; check it with <see cref="IsValid"/>. RFC 8656 narrowed the range to 0x4000-0x4FFF, but RFC 5766's
/// 0x4000-0x7FFF is still what clients use (coturn's own clients pick numbers up to 0x7FFF, and coturn accepts
/// them), so the wider range is the valid one here, as in coturn; a client of RFC 8656 stays within it.
/// </summary>
public readonly record struct ChannelNumber(ushort Number) : IStunAttribute<ChannelNumber>
{
    /// <summary>The lowest channel number (RFC 8656 §12).</summary>
    public const ushort Min = 0x4000;

    /// <summary>The highest channel number: RFC 5766's 0x7FFF (RFC 8656 §12 stops at 0x4FFF).</summary>
    public const ushort Max = 0x7FFF;

    public static StunAttributeType Type => StunAttributeType.ChannelNumber;

    /// <summary>True when the number is a channel number (0x4000-0x7FFF).</summary>
    public bool IsValid => IsValidNumber(Number);

    public int ValueLength => 4;

    /// <summary>True for 0x4000-0x7FFF.</summary>
    public static bool IsValidNumber(ushort number) => number is >= Min and <= Max;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ChannelNumber attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new ChannelNumber(BinaryPrimitives.ReadUInt16BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Number);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
    }
}
