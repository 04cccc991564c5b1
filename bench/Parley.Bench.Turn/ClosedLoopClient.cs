using System.Diagnostics;

namespace Parley.Bench.Turn;

/// <summary>
/// One client of the closed loop: a window of slots, each holding one packet in flight. A packet that comes back
/// intact, with its slot's sequence number and send time, frees the slot for the next packet; one unanswered after
/// the timeout is given up on (lost) and replaced. Nothing is resent. Used by one thread only.
/// </summary>
internal sealed class ClosedLoopClient
{
    private readonly RelayClient _relay;
    private readonly long _timeoutTicks;
    private readonly long[] _slotSequence;
    private readonly long[] _slotSentAt;
    private readonly bool[] _slotPending;
    private readonly HashSet<long> _givenUp = [];
    private long _nextSequence;

    public ClosedLoopClient(RelayClient relay, int window, TimeSpan timeout)
    {
        _relay = relay;
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _slotSequence = new long[window];
        _slotSentAt = new long[window];
        _slotPending = new bool[window];
    }

    public RelayClient Relay => _relay;

    public LoadCounters Counters => _relay.Counters;

    /// <summary>Sends a packet in every free slot.</summary>
    public void FillWindow()
    {
        for (int slot = 0; slot < _slotPending.Length; slot++)
        {
            if (!_slotPending[slot])
            {
                SendIn(slot);
            }
        }
    }

    /// <summary>Takes every datagram waiting, without blocking, sending a packet for each one answered.</summary>
    public void Drain(LatencyHistogram latency, bool record)
    {
        while (true)
        {
            RelayReceive receive = _relay.TryReceive(out RelayPacket packet);
            if (receive == RelayReceive.None)
            {
                return;
            }

            if (receive == RelayReceive.Fault)
            {
                continue;
            }

            long now = Stopwatch.GetTimestamp();
            int slot = packet.Slot;
            if ((uint)slot < (uint)_slotPending.Length && _slotPending[slot] && _slotSequence[slot] == packet.Sequence)
            {
                if (packet.SentTimestamp == _slotSentAt[slot])
                {
                    Counters.AddAnswered();
                    if (record)
                    {
                        latency.RecordTicks(packet.SentTimestamp, now);
                    }
                }
                else
                {
                    Counters.AddFault(RelayFault.CorruptPayload);
                }

                SendIn(slot);
            }
            else if (_givenUp.Remove(packet.Sequence))
            {
                Counters.AddLate();
            }
            else
            {
                Counters.AddFault(RelayFault.UnknownPacket);
            }
        }
    }

    /// <summary>Gives up on packets older than the timeout and sends new ones in their slots.</summary>
    public void Sweep(long now)
    {
        for (int slot = 0; slot < _slotPending.Length; slot++)
        {
            if (_slotPending[slot] && now - _slotSentAt[slot] >= _timeoutTicks)
            {
                _givenUp.Add(_slotSequence[slot]);
                Counters.AddLost();
                SendIn(slot);
            }
        }
    }

    private void SendIn(int slot)
    {
        long sequence = _nextSequence++;
        _slotSequence[slot] = sequence;
        _slotPending[slot] = true;
        _slotSentAt[slot] = _relay.Send(slot, sequence);
    }
}
