using System.Runtime.InteropServices;
using Parley.Rtp;
using Parley.Rtp.Rtcp;

namespace Parley.Sfu.Media;

/// <summary>
/// Transport-wide congestion control feedback for a publisher (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1): the arrival time of every packet carrying a transport-wide sequence number, reported every 100 ms, so the
/// browser's send-side bandwidth estimation (Google Congestion Control) sees queueing and loss and sets its
/// bitrate. Runs on the media port's receive loop; allocates nothing once its buffer has grown.
/// </summary>
internal sealed class TwccFeedbackGenerator(uint senderSsrc)
{
    /// <summary>The interval browsers expect feedback at (libwebrtc sends it every 50-250 ms).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static readonly Comparison<(long Key, TwccArrival Arrival)> ByKey = (a, b) => a.Key.CompareTo(b.Key);

    private readonly SequenceNumberUnwrapper _unwrapper = new();
    private readonly List<(long Key, TwccArrival Arrival)> _pending = new(256);
    private TwccArrival[] _arrivals = new TwccArrival[256];
    private TimeSpan _lastSent;
    private byte _feedbackCount;

    public void OnPacket(ushort transportSequenceNumber, TimeSpan arrival) =>
        _pending.Add((_unwrapper.Unwrap(transportSequenceNumber), new TwccArrival(transportSequenceNumber, arrival)));

    /// <summary>Whether feedback is due at <paramref name="now"/>.</summary>
    public bool IsDue(TimeSpan now) => _pending.Count > 0 && (now - _lastSent >= Interval || _pending.Count >= 200);

    /// <summary>Writes the pending arrivals as one or more feedback packets (in sequence order, duplicates dropped)
    /// and hands each to <paramref name="send"/>; the pending list is then empty.</summary>
    public void Flush(TimeSpan now, uint mediaSsrc, Span<byte> buffer, SendRtcp send)
    {
        _lastSent = now;
        Span<(long Key, TwccArrival Arrival)> pending = CollectionsMarshal.AsSpan(_pending);
        pending.Sort(ByKey);
        if (_arrivals.Length < pending.Length)
        {
            _arrivals = new TwccArrival[pending.Length * 2];
        }

        int count = 0;
        for (int i = 0; i < pending.Length; i++)
        {
            if (i == 0 || pending[i].Key != pending[i - 1].Key)
            {
                _arrivals[count++] = pending[i].Arrival;
            }
        }

        _pending.Clear();
        ReadOnlySpan<TwccArrival> arrivals = _arrivals.AsSpan(0, count);
        while (!arrivals.IsEmpty)
        {
            int fitting = Math.Max(1, TransportWideFeedback.GetFittingCount(arrivals));
            if (TransportWideFeedback.TryCreate(senderSsrc, mediaSsrc, _feedbackCount, arrivals[..fitting], out TransportWideFeedback feedback)
                && feedback.GetEncodedLength() <= buffer.Length && feedback.TryWrite(buffer, out int written))
            {
                _feedbackCount++;
                send(buffer[..written]);
            }

            arrivals = arrivals[fitting..];
        }
    }
}

/// <summary>Sends one plain RTCP packet.</summary>
internal delegate void SendRtcp(ReadOnlySpan<byte> packet);
