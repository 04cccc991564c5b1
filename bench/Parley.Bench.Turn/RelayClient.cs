using System.Diagnostics;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// One TURN client on the packet path: its allocation's socket (connected to the server, non-blocking), its framing,
/// and its counters. Sends a stamped payload, and reads one datagram at a time, checking the frame, the client index
/// and the whole payload pattern; the caller checks the slot, sequence number and send time against its records.
/// Used by one load thread; nothing is allocated per packet.
/// </summary>
internal sealed class RelayClient : IDisposable
{
    private readonly TurnSession _session;
    private readonly IRelayFraming _framing;
    private readonly byte[] _receive;

    public RelayClient(int index, TurnSession session, IRelayFraming framing)
    {
        Index = index;
        _session = session;
        _framing = framing;
        _receive = new byte[framing.Frame.Length + 512]; // room for padding and attributes a server may add
    }

    public int Index { get; }

    public Socket Socket => _session.Socket;

    public TurnSession Session => _session;

    public TransportAddress RelayedAddress => _session.RelayedAddress;

    public LoadCounters Counters { get; } = new();

    /// <summary>Sends one payload stamped with the slot, the sequence number and the current time, which it returns.</summary>
    public long Send(int slot, long sequence)
    {
        long now = Stopwatch.GetTimestamp();
        RelayPayload.Stamp(_framing.Payload, Index, slot, sequence, now);
        _framing.PrepareSend(sequence);
        Socket.Send(_framing.Frame, SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            Counters.AddSent();
        }
        else
        {
            Counters.AddFault(RelayFault.SendFailed); // the packet is never answered: it times out
        }

        return now;
    }

    /// <summary>Reads one datagram if one is waiting, and checks it.</summary>
    public RelayReceive TryReceive(out RelayPacket packet)
    {
        packet = default;
        int length = Socket.Receive(_receive, SocketFlags.None, out SocketError error);
        if (error != SocketError.Success)
        {
            return RelayReceive.None;
        }

        if (!_framing.TryUnwrap(_receive.AsMemory(0, length), out ReadOnlySpan<byte> payload, out RelayFault fault))
        {
            Counters.AddFault(fault);
            return RelayReceive.Fault;
        }

        if (RelayPayload.ReadClient(payload) != Index)
        {
            Counters.AddFault(RelayFault.WrongClient);
            return RelayReceive.Fault;
        }

        if (!RelayPayload.HasPattern(payload, _framing.Payload))
        {
            Counters.AddFault(RelayFault.CorruptPayload);
            return RelayReceive.Fault;
        }

        packet = new RelayPacket(RelayPayload.ReadSlot(payload), RelayPayload.ReadSequence(payload),
            RelayPayload.ReadTimestamp(payload));
        return RelayReceive.Packet;
    }

    public void Dispose() => _session.Dispose();
}
