using System.Buffers.Binary;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Turn;

/// <summary>
/// Payloads in Send indications to the server (RFC 8656 §11: XOR-PEER-ADDRESS and DATA) and Data indications back
/// (§11.4: the same two, naming the peer the data came from). The Send indication is built once; only its
/// transaction id (the sequence number, so that each message has its own) and the payload change.
/// </summary>
internal sealed class IndicationFraming : IRelayFraming
{
    private readonly byte[] _frame;
    private readonly int _payloadOffset;
    private readonly int _payloadSize;
    private readonly TransportAddress _peer;

    public IndicationFraming(int client, int payloadSize, TransportAddress peer)
    {
        _payloadSize = payloadSize;
        _peer = peer;
        byte[] template = new byte[payloadSize];
        RelayPayload.WriteTemplate(template, client);
        byte[] buffer = new byte[StunMessage.HeaderLength + 64 + payloadSize];
        var builder = new StunMessageBuilder(buffer, StunMessageType.SendIndication, TransactionId.NewRandom());
        builder.Add(new XorPeerAddress(peer));
        builder.Add(new Data(template));
        _frame = buffer[..builder.Length];
        _payloadOffset = builder.Length - ((payloadSize + 3) & ~3); // DATA is last: its value, then its padding
    }

    public ReadOnlySpan<byte> Frame => _frame;

    public Span<byte> Payload => _frame.AsSpan(_payloadOffset, _payloadSize);

    public void PrepareSend(long sequence) =>
        BinaryPrimitives.WriteInt64BigEndian(_frame.AsSpan(StunMessage.HeaderLength - 8), sequence);

    public bool TryUnwrap(ReadOnlyMemory<byte> datagram, out ReadOnlySpan<byte> payload, out RelayFault fault)
    {
        payload = default;
        if (!StunMessage.TryParse(datagram, out StunMessage message))
        {
            fault = ChannelData.LooksLikeChannelData(datagram.Span) ? RelayFault.NotDataIndication : RelayFault.Unparsable;
            return false;
        }

        if (message.Type != StunMessageType.DataIndication)
        {
            fault = RelayFault.NotDataIndication;
            return false;
        }

        if (message.HasFingerprint && !message.CheckFingerprint())
        {
            fault = RelayFault.BadFingerprint;
            return false;
        }

        if (!message.TryGet(out XorPeerAddress from) || from.Address != _peer)
        {
            fault = RelayFault.WrongPeerAddress;
            return false;
        }

        if (!message.TryGet(out Data data))
        {
            fault = RelayFault.NoData;
            return false;
        }

        if (data.Bytes.Length != _payloadSize)
        {
            fault = RelayFault.WrongLength;
            return false;
        }

        fault = default;
        payload = data.Bytes.Span;
        return true;
    }
}
