using System.Buffers.Binary;
using System.IO.Hashing;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>
/// Makes bad input for the fuzz tests from a seeded generator: blind mutations of valid messages (bits, bytes,
/// lengths, truncation), attribute lists changed before they are signed (so that they get past authentication to
/// the request handlers), random ChannelData and random bytes, some shaped like a STUN header.
/// </summary>
internal sealed class Mutator(int seed)
{
    public const int MaxLength = 700;

    private static readonly StunAttributeType[] Types =
    [
        StunAttributeType.RequestedTransport, StunAttributeType.Lifetime, StunAttributeType.XorPeerAddress,
        StunAttributeType.Data, StunAttributeType.ChannelNumber, StunAttributeType.EvenPort,
        StunAttributeType.ReservationToken, StunAttributeType.RequestedAddressFamily,
        StunAttributeType.AdditionalAddressFamily, StunAttributeType.DontFragment, StunAttributeType.ConnectionId,
        StunAttributeType.PasswordAlgorithm, StunAttributeType.PasswordAlgorithms, StunAttributeType.MessageIntegrity,
        StunAttributeType.MessageIntegritySha256, StunAttributeType.Fingerprint, StunAttributeType.Username,
        StunAttributeType.Nonce, StunAttributeType.Realm, StunAttributeType.XorMappedAddress,
        StunAttributeType.Software, StunAttributeType.Padding, (StunAttributeType)0x7F31, (StunAttributeType)0xC001,
    ];

    private static readonly StunMethod[] Methods =
    [
        StunMethod.Allocate, StunMethod.Refresh, StunMethod.Send, StunMethod.Data, StunMethod.CreatePermission,
        StunMethod.ChannelBind, StunMethod.Connect, StunMethod.ConnectionBind, StunMethod.ConnectionAttempt,
        StunMethod.Binding, (StunMethod)0x0FF,
    ];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>A copy of a valid message with bits flipped, bytes overwritten, a length field changed, the end cut
    /// off or random bytes added.</summary>
    public int MutateBytes(ReadOnlySpan<byte> valid, Span<byte> output)
    {
        valid.CopyTo(output);
        int length = valid.Length;
        switch (_random.Next(7))
        {
            case 0:
                for (int i = _random.Next(1, 5); i > 0; i--)
                {
                    output[_random.Next(length)] ^= (byte)(1 << _random.Next(8));
                }

                break;
            case 1:
                for (int i = _random.Next(1, 5); i > 0; i--)
                {
                    output[_random.Next(length)] = (byte)_random.Next(256);
                }

                break;
            case 2:
                length = _random.Next(length);
                break;
            case 3:
                int extra = _random.Next(1, 41);
                _random.NextBytes(output.Slice(length, extra));
                length += extra;
                if (length > StunMessage.HeaderLength && _random.Next(2) == 0 && output[0] < 4)
                {
                    length &= ~3;
                    BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)(length - StunMessage.HeaderLength));
                }

                break;
            case 4 when length >= 4:
                BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)_random.Next(65536));
                break;
            case 5 when length > StunMessage.HeaderLength + 4:
                // An attribute's length field: walk to a random attribute and rewrite it.
                int offset = StunMessage.HeaderLength;
                int skip = _random.Next(8);
                while (skip-- > 0 && offset + 4 <= length)
                {
                    int next = offset + 4 + ((BinaryPrimitives.ReadUInt16BigEndian(output[(offset + 2)..]) + 3) & ~3);
                    if (next + 4 > length)
                    {
                        break;
                    }

                    offset = next;
                }

                BinaryPrimitives.WriteUInt16BigEndian(output[(offset + 2)..], (ushort)_random.Next(0, 80));
                break;
            default:
                output[_random.Next(Math.Min(length, 20))] = (byte)_random.Next(256); // in the header
                break;
        }

        return length;
    }

    /// <summary>
    /// <see cref="MutateBytes"/>, then half of the time a FINGERPRINT made right again when the message ends in one,
    /// so that the mutation gets past the fingerprint check to the integrity check and the parsers behind it.
    /// </summary>
    public int MutateBytesKeepingFingerprint(ReadOnlySpan<byte> valid, Span<byte> output)
    {
        int length = MutateBytes(valid, output);
        if (_random.Next(2) == 0 && length >= StunMessage.HeaderLength + 8
            && BinaryPrimitives.ReadUInt16BigEndian(output[(length - 8)..]) == (ushort)StunAttributeType.Fingerprint)
        {
            // RFC 8489 §14.7: CRC-32 of the message before the attribute, xored with 0x5354554E.
            uint crc = Crc32.HashToUInt32(output[..(length - 8)]) ^ 0x5354554E;
            BinaryPrimitives.WriteUInt32BigEndian(output[(length - 4)..], crc);
        }

        return length;
    }

    /// <summary>A changed copy of an attribute list: a value altered, resized or emptied, a type swapped, an
    /// attribute dropped, doubled or added.</summary>
    public List<(StunAttributeType Type, byte[] Value)> MutateAttributes(IReadOnlyList<(StunAttributeType Type, byte[] Value)> attributes)
    {
        var mutated = attributes.Select(a => (a.Type, (byte[])a.Value.Clone())).ToList();
        int changes = _random.Next(1, 4);
        for (int c = 0; c < changes; c++)
        {
            int index = mutated.Count == 0 ? -1 : _random.Next(mutated.Count);
            switch (_random.Next(7))
            {
                case 0 when index >= 0 && mutated[index].Item2.Length > 0:
                    mutated[index].Item2[_random.Next(mutated[index].Item2.Length)] = (byte)_random.Next(256);
                    break;
                case 1 when index >= 0:
                    byte[] resized = new byte[_random.Next(0, 33)];
                    _random.NextBytes(resized);
                    mutated[index].Item2.AsSpan(0, Math.Min(resized.Length, mutated[index].Item2.Length)).CopyTo(resized);
                    mutated[index] = (mutated[index].Item1, resized);
                    break;
                case 2 when index >= 0:
                    mutated[index] = (Types[_random.Next(Types.Length)], mutated[index].Item2);
                    break;
                case 3 when index >= 0:
                    mutated.RemoveAt(index);
                    break;
                case 4 when index >= 0:
                    mutated.Insert(_random.Next(mutated.Count + 1), mutated[index]);
                    break;
                case 5 when index >= 0:
                    mutated[index] = (mutated[index].Item1, []);
                    break;
                default:
                    byte[] value = new byte[_random.Next(0, 33)];
                    _random.NextBytes(value);
                    mutated.Insert(_random.Next(mutated.Count + 1), (Types[_random.Next(Types.Length)], value));
                    break;
            }
        }

        return mutated;
    }

    /// <summary>A random TURN method and class (mostly requests).</summary>
    public StunMessageType MessageType(StunMethod preferred) => new(
        _random.Next(3) == 0 ? Methods[_random.Next(Methods.Length)] : preferred,
        _random.Next(6) switch { 0 => StunClass.Indication, 1 => StunClass.SuccessResponse, _ => StunClass.Request });

    /// <summary>ChannelData with a random channel (mostly in range), a length field that may lie, and random data;
    /// padded to 4 when <paramref name="padded"/> (TCP framing).</summary>
    public int ChannelData(Span<byte> output, bool padded, ushort? channel = null)
    {
        ushort number = channel ?? (ushort)(_random.Next(4) == 0 ? _random.Next(0x4000, 0x10000) : _random.Next(0x4000, 0x4010));
        int dataLength = _random.Next(0, 300);
        int lengthField = padded || _random.Next(3) != 0 ? dataLength : _random.Next(0, 400);
        BinaryPrimitives.WriteUInt16BigEndian(output, number);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)lengthField);
        int total = padded ? 4 + ((lengthField + 3) & ~3) : 4 + dataLength;
        _random.NextBytes(output[4..total]);
        return total;
    }

    /// <summary>Random bytes, a third of the time behind a header that passes the STUN checks (first bits, cookie,
    /// length) so that the attribute parser sees them.</summary>
    public int RandomBytes(Span<byte> output)
    {
        int length = _random.Next(0, 600);
        _random.NextBytes(output[..length]);
        if (length >= StunMessage.HeaderLength && _random.Next(3) == 0)
        {
            length &= ~3;
            output[0] &= 0x03;
            BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)(length - StunMessage.HeaderLength));
            BinaryPrimitives.WriteUInt32BigEndian(output[4..], StunMessage.MagicCookie);
        }

        return length;
    }

    /// <summary>A random frame for a TURN TCP stream that keeps the framing (so the connection stays open): STUN
    /// with a consistent length, or padded ChannelData.</summary>
    public int StreamFrame(Span<byte> output, ReadOnlySpan<byte> template)
    {
        if (_random.Next(3) == 0)
        {
            return ChannelData(output, padded: true);
        }

        int length = template.IsEmpty ? RandomBytes(output) : MutateBytesKeepingFingerprint(template, output);
        length = Math.Max(StunMessage.HeaderLength, length & ~3);
        output[0] &= 0x03;
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], (ushort)(length - StunMessage.HeaderLength));
        return length;
    }
}
