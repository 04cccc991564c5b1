using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// Payloads as ChannelData (RFC 8656 §12.4) on the client's bound channel, both ways: a 4-byte header, no padding
/// (optional over UDP, §12.5; padding that comes back is ignored).
/// </summary>
internal sealed class ChannelDataFraming : IRelayFraming
{
    private readonly byte[] _frame;
    private readonly ushort _channel;
    private readonly int _payloadSize;

    public ChannelDataFraming(int client, int payloadSize, ushort channel)
    {
        _channel = channel;
        _payloadSize = payloadSize;
        _frame = new byte[ChannelData.GetFramedLength(payloadSize, padded: false)];
        Span<byte> payload = _frame.AsSpan(ChannelData.HeaderLength);
        RelayPayload.WriteTemplate(payload, client);
        ChannelData.TryWriteHeader(_frame, channel, payloadSize);
    }

    public ReadOnlySpan<byte> Frame => _frame;

    public Span<byte> Payload => _frame.AsSpan(ChannelData.HeaderLength);

    public void PrepareSend(long sequence)
    {
        // The header never changes.
    }

    public bool TryUnwrap(ReadOnlyMemory<byte> datagram, out ReadOnlySpan<byte> payload, out RelayFault fault)
    {
        payload = default;
        ReadOnlySpan<byte> span = datagram.Span;
        if (!ChannelData.TryRead(span, out ChannelData message))
        {
            fault = StunMessage.LooksLikeStun(span) ? RelayFault.NotChannelData : RelayFault.Unparsable;
            return false;
        }

        if (message.ChannelNumber != _channel)
        {
            fault = RelayFault.WrongChannel;
            return false;
        }

        if (message.Data.Length != _payloadSize)
        {
            fault = RelayFault.WrongLength;
            return false;
        }

        payload = message.Data;
        fault = default;
        return true;
    }
}
