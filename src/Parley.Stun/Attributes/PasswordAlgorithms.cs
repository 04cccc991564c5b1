using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// PASSWORD-ALGORITHMS (RFC 8489 §14.11): the algorithms the server accepts, in its order of preference; each an
/// algorithm number, a parameters length and the parameters padded to four bytes.
/// </summary>
public readonly struct PasswordAlgorithms : IStunAttribute<PasswordAlgorithms>
{
    private readonly ReadOnlyMemory<byte> _raw;

    private PasswordAlgorithms(ReadOnlyMemory<byte> raw) => _raw = raw;

    public PasswordAlgorithms(params ReadOnlySpan<StunPasswordAlgorithm> algorithms)
    {
        var raw = new byte[algorithms.Length * 4];
        for (int i = 0; i < algorithms.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(i * 4), (ushort)algorithms[i]);
        }

        _raw = raw;
    }

    public static StunAttributeType Type => StunAttributeType.PasswordAlgorithms;

    /// <summary>The raw value, for comparing a request's copy with what the server sent (RFC 8489 §9.2.4).</summary>
    public ReadOnlyMemory<byte> Raw => _raw;

    public int ValueLength => _raw.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out PasswordAlgorithms attribute)
    {
        attribute = default;
        ReadOnlySpan<byte> span = value.Span;
        while (!span.IsEmpty)
        {
            if (span.Length < 4)
            {
                return false;
            }

            int padded = (BinaryPrimitives.ReadUInt16BigEndian(span[2..]) + 3) & ~3;
            if (padded > span.Length - 4)
            {
                return false;
            }

            span = span[(4 + padded)..];
        }

        attribute = new PasswordAlgorithms(value);
        return true;
    }

    public bool Contains(StunPasswordAlgorithm algorithm)
    {
        ReadOnlySpan<byte> span = _raw.Span;
        while (span.Length >= 4)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(span) == (ushort)algorithm)
            {
                return true;
            }

            span = span[(4 + ((BinaryPrimitives.ReadUInt16BigEndian(span[2..]) + 3) & ~3))..];
        }

        return false;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => _raw.Span.CopyTo(destination);
}
