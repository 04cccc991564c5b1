using System.Buffers.Binary;
using System.Diagnostics;

namespace Parley.Bench.Sfu;

/// <summary>
/// A publisher's synthetic VP8 video: frames at a fixed rate, each a burst of equal packets (the bitrate divided into
/// packets of the configured size), the last with the marker bit, every packet stamped (<see cref="MediaMarker"/>).
/// Frames start with a VP8 payload descriptor with S=1, key frames (every <c>keyFrameInterval</c> frames and after
/// a PLI or FIR) with the key frame header (RFC 7741 §4.3, RFC 6386 §9.1), so that any SFU forwards them and
/// starts new subscribers on them. Packets are built in one buffer and SRTP-protected in place: nothing is
/// allocated per packet.
/// </summary>
internal sealed class VideoPublisher
{
    private const int FramesPerSecond = 30;
    private const int RtpHeaderLength = 12;

    private readonly byte[] _packet = new byte[2048];
    private readonly int _packetSize;
    private readonly int _keyFrameInterval;
    private ushort _sequence;
    private uint _timestamp;
    private long _frame;
    private long _counter;

    public VideoPublisher(LoadPeer peer, int index, uint ssrc, int payloadType, double bitsPerSecond, int packetSize, long firstFrameAt)
    {
        Peer = peer;
        Index = index;
        Ssrc = ssrc;
        PayloadType = payloadType;
        _packetSize = packetSize;
        PacketsPerFrame = Math.Max(1, (int)Math.Round(bitsPerSecond / 8 / packetSize / FramesPerSecond));
        FrameIntervalTicks = Stopwatch.Frequency / FramesPerSecond;
        NextFrameAt = firstFrameAt;
        _keyFrameInterval = FramesPerSecond; // one a second
        _sequence = (ushort)Random.Shared.Next(0, 65536);
        _timestamp = (uint)Random.Shared.Next();
    }

    public LoadPeer Peer { get; }

    public int Index { get; }

    public uint Ssrc { get; }

    public int PayloadType { get; set; }

    public int PacketsPerFrame { get; }

    public long FrameIntervalTicks { get; }

    /// <summary>When the next frame is due (<see cref="Stopwatch"/> ticks).</summary>
    public long NextFrameAt { get; private set; }

    public bool KeyFrameRequested { get; set; }

    public long Sent { get; private set; }

    public long SendFailures { get; private set; }

    /// <summary>Frames not sent because the thread was late by more than two frames (not made up in a burst).</summary>
    public long SkippedFrames { get; private set; }

    /// <summary>Packets per second this publisher sends.</summary>
    public double PacketsPerSecond => PacketsPerFrame * (double)FramesPerSecond;

    /// <summary>Sends the frames due by <paramref name="now"/>, counting the packets sent in the window.</summary>
    public void SendDue(long now, MeasurementWindow? window)
    {
        if (now - NextFrameAt > 2 * FrameIntervalTicks)
        {
            long late = (now - NextFrameAt) / FrameIntervalTicks;
            SkippedFrames += late;
            NextFrameAt += late * FrameIntervalTicks;
            _timestamp += (uint)(late * 3000);
            _frame += late;
        }

        while (now >= NextFrameAt)
        {
            SendFrame(window);
            NextFrameAt += FrameIntervalTicks;
        }
    }

    private void SendFrame(MeasurementWindow? window)
    {
        bool key = _frame % _keyFrameInterval == 0 || KeyFrameRequested;
        KeyFrameRequested = false;
        for (int i = 0; i < PacketsPerFrame; i++)
        {
            Span<byte> packet = _packet;
            bool last = i == PacketsPerFrame - 1;
            packet[0] = 0x80;
            packet[1] = (byte)((last ? 0x80 : 0) | PayloadType);
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
            Span<byte> payload = packet[RtpHeaderLength.._packetSize];
            payload[..MediaMarker.Offset].Clear();
            if (i == 0)
            {
                payload[0] = 0x10; // VP8 payload descriptor: S=1, partition 0
                if (key)
                {
                    // Frame tag: key frame (P=0), version 0, shown; start code; 640x480.
                    ReadOnlySpan<byte> header = [0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01];
                    header.CopyTo(payload[1..]);
                }
                else
                {
                    payload[1] = 0x11; // P=1: an inter frame
                }
            }

            long sendTicks = Stopwatch.GetTimestamp();
            MediaMarker.Write(payload, Index, _counter++, sendTicks);
            int length = _packetSize;
            if (Peer.Outbound is { } srtp && !srtp.TryProtectRtp(_packet, _packetSize, out length))
            {
                SendFailures++;
                continue;
            }

            if (Peer.SendOrDrop(_packet.AsSpan(0, length)))
            {
                Sent++;
                if (window is not null && window.Contains(sendTicks))
                {
                    window.SentByPublisher[Index]++;
                }
            }
            else
            {
                SendFailures++;
            }
        }

        _timestamp += 90_000 / FramesPerSecond;
        _frame++;
    }
}
