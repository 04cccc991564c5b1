using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// The value shared by REQUESTED-ADDRESS-FAMILY and ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.6, §18.11): a family
/// byte and three reserved bytes, 4 in all.
/// <code>
/// |     Family    |            Reserved                           |
/// </code>
/// </summary>
internal static class AddressFamilyValue
{
    public const int Length = 4;

    public static bool TryRead(ReadOnlySpan<byte> value, out StunAddressFamily family)
    {
        bool ok = value.Length == Length;
        family = ok ? (StunAddressFamily)value[0] : default;
        return ok;
    }

    public static void Write(StunAddressFamily family, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)family << 24);
}
