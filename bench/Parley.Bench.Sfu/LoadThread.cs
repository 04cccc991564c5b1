using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Bench.Sfu;

/// <summary>
/// One thread of the load generator over its share of the peers: it sends its publishers' frames as they fall due,
/// waits on all its sockets with epoll (at most a millisecond, or until the next frame), and drains every ready
/// socket without blocking: subscribers' SRTP is authenticated and decrypted, its marker read, and the packet
/// counted and timed against the current <see cref="MeasurementWindow"/>; the server's STUN checks are answered;
/// publishers act on PLI and FIR. Every peer sends a consent check every 2 s. Peers are handed over through a queue,
/// so subscribers can be added while it runs (the ramp). Its packet path allocates nothing.
/// </summary>
internal sealed class LoadThread
{
    private const long ConsentIntervalMs = 2000;

    private readonly int _index;
    private readonly Epoll _epoll = new();
    private readonly ConcurrentQueue<object> _incoming = new();
    private readonly List<VideoPublisher> _publishers = [];
    private readonly List<LoadPeer> _peers = [];
    private readonly List<object> _byToken = [];
    private readonly byte[] _buffer = GC.AllocateArray<byte>(2048, pinned: true);
    private MeasurementWindow? _window;
    private Thread? _thread;
    private volatile bool _stop;

    public LoadThread(int index) => _index = index;

    public long Received { get; private set; }

    public long AuthenticationFailures { get; private set; }

    public long Unmarked { get; private set; }

    /// <summary>Packets a subscriber had already received (a retransmission or a duplicate): not counted again.</summary>
    public long Duplicates { get; private set; }

    public long RtcpReceived { get; private set; }

    public long KeyFrameRequests { get; private set; }

    /// <summary>Bytes the loop allocated while measured windows were open, and the packets it handled then.</summary>
    public long AllocatedBytes { get; private set; }

    public Exception? Failure { get; private set; }

    public IReadOnlyList<VideoPublisher> Publishers => _publishers;

    public void Add(VideoPublisher publisher) => _incoming.Enqueue(publisher);

    public void Add(VideoSubscriber subscriber) => _incoming.Enqueue(subscriber);

    public void SetWindow(MeasurementWindow? window) => Volatile.Write(ref _window, window);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"load {_index}" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
        _epoll.Dispose();
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    private void Loop()
    {
        Span<EpollEvent> events = stackalloc EpollEvent[256];
        long nextConsentSweep = 0;
        while (!_stop)
        {
            while (_incoming.TryDequeue(out object? added))
            {
                Register(added);
            }

            MeasurementWindow? window = Volatile.Read(ref _window);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long now = Stopwatch.GetTimestamp();
            long nextFrame = long.MaxValue;
            foreach (VideoPublisher publisher in _publishers)
            {
                publisher.SendDue(now, window);
                nextFrame = Math.Min(nextFrame, publisher.NextFrameAt);
            }

            long nowMs = Environment.TickCount64;
            bool sweep = nowMs >= nextConsentSweep;
            int timeout = nextFrame - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000 ? 1 : 0;
            int ready = _epoll.Wait(events, timeout);
            for (int i = 0; i < ready; i++)
            {
                Drain(_byToken[(int)events[i].Data], window);
            }

            if (window is not null && Stopwatch.GetTimestamp() < window.Until)
            {
                AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            }

            if (sweep)
            {
                // STUN consent checks allocate a little (a transaction id, the parsed answer): outside the counted path.
                nextConsentSweep = nowMs + 100;
                foreach (LoadPeer peer in _peers)
                {
                    peer.SendCheckIfDue(nowMs, ConsentIntervalMs);
                }
            }
        }
    }

    private void Register(object added)
    {
        LoadPeer peer = added switch
        {
            VideoPublisher p => p.Peer,
            VideoSubscriber s => s.Peer,
            _ => throw new InvalidOperationException(),
        };
        if (added is VideoPublisher publisher)
        {
            _publishers.Add(publisher);
        }

        _peers.Add(peer);
        _byToken.Add(added);
        _epoll.Add(peer.Socket, _byToken.Count - 1);
    }

    private void Drain(object owner, MeasurementWindow? window)
    {
        VideoSubscriber? subscriber = owner as VideoSubscriber;
        VideoPublisher? publisher = owner as VideoPublisher;
        LoadPeer peer = subscriber?.Peer ?? publisher!.Peer;
        for (int n = 0; n < 64; n++)
        {
            int length = peer.ReceiveOrZero(_buffer);
            if (length == 0)
            {
                return;
            }

            long now = Stopwatch.GetTimestamp();
            byte first = _buffer[0];
            if (first <= 3)
            {
                peer.HandleStun(_buffer.AsMemory(0, length));
                continue;
            }

            if (first is < 128 or > 191 || length < 12)
            {
                continue; // DTLS retransmissions after the handshake, and anything else
            }

            Span<byte> datagram = _buffer.AsSpan(0, length);
            if (_buffer[1] is >= 192 and <= 223)
            {
                RtcpReceived++;
                if (publisher is not null)
                {
                    HandlePublisherRtcp(publisher, datagram);
                }

                continue;
            }

            if (subscriber is null)
            {
                continue;
            }

            int plain = length;
            if (peer.Inbound is { } srtp && !srtp.TryUnprotectRtp(datagram, out plain))
            {
                AuthenticationFailures++;
                continue;
            }

            int offset = MediaMarker.PayloadOffset(datagram[..plain]);
            if (offset < 0 || !MediaMarker.TryRead(datagram[offset..plain], out _, out long counter, out long sendTicks))
            {
                Unmarked++;
                continue;
            }

            if (!subscriber.IsFirstCopy(counter))
            {
                Duplicates++;
                continue;
            }

            Received++;
            subscriber.Received++;
            if (window is not null && window.Contains(sendTicks))
            {
                window.ReceivedBySubscriber[subscriber.Index]++;
                window.Latency[_index].Add(now - sendTicks);
            }
        }
    }

    /// <summary>A PLI (RFC 4585 §6.3.1) or FIR (RFC 5104 §4.3.1) in a compound packet asks for a key frame.</summary>
    private void HandlePublisherRtcp(VideoPublisher publisher, Span<byte> datagram)
    {
        int plain = datagram.Length;
        if (publisher.Peer.Inbound is { } srtp && !srtp.TryUnprotectRtcp(datagram, out plain))
        {
            AuthenticationFailures++;
            return;
        }

        for (int offset = 0; offset + 4 <= plain;)
        {
            int fmt = datagram[offset] & 0x1F, type = datagram[offset + 1];
            if (type == 206 && fmt is 1 or 4)
            {
                publisher.KeyFrameRequested = true;
                KeyFrameRequests++;
            }

            offset += 4 * (1 + ((datagram[offset + 2] << 8) | datagram[offset + 3]));
        }
    }
}
