using System.Diagnostics;

namespace Parley.Bench.Turn;

/// <summary>
/// One client of the open loop: it sends when told, whatever comes back, numbering its packets 0, 1, 2... and
/// keeping each one's send time until it comes back, so that a reply is matched (and a duplicate caught) with one
/// array lookup. Used by one thread only.
/// </summary>
internal sealed class OpenLoopClient(RelayClient relay, int capacity)
{
    /// <summary>Send times by sequence number; 0 once answered (a Stopwatch timestamp is never 0).</summary>
    private readonly long[] _sentAt = new long[capacity];
    private long _issued;

    public RelayClient Relay => relay;

    public LoadCounters Counters => relay.Counters;

    public void SendNext()
    {
        if (_issued < _sentAt.Length) // sized with a margin for the rate: cannot run out
        {
            long sequence = _issued++;
            _sentAt[sequence] = relay.Send(slot: 0, sequence);
        }
    }

    /// <summary>Takes every datagram waiting, without blocking; records the round trips of packets sent from
    /// <paramref name="recordFrom"/> on.</summary>
    public void Drain(LatencyHistogram latency, long recordFrom)
    {
        while (true)
        {
            RelayReceive receive = relay.TryReceive(out RelayPacket packet);
            if (receive == RelayReceive.None)
            {
                return;
            }

            if (receive == RelayReceive.Fault)
            {
                continue;
            }

            long now = Stopwatch.GetTimestamp();
            long sequence = packet.Sequence;
            if (packet.Slot == 0 && (ulong)sequence < (ulong)_issued && _sentAt[sequence] != 0
                && _sentAt[sequence] == packet.SentTimestamp)
            {
                _sentAt[sequence] = 0;
                Counters.AddAnswered();
                if (packet.SentTimestamp >= recordFrom)
                {
                    latency.RecordTicks(packet.SentTimestamp, now);
                }
            }
            else
            {
                Counters.AddFault(RelayFault.UnknownPacket);
            }
        }
    }
}
