using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// The absolute send time element <c>http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time</c>: when the
/// packet left the sender, as 24 bits of 6.18 fixed-point seconds (the middle bits of a 64-bit NTP timestamp),
/// wrapping every 64 seconds. Three bytes, big-endian.
/// </summary>
public readonly record struct AbsoluteSendTime(uint Value) : IRtpExtensionValue<AbsoluteSendTime>
{
    public const int EncodedLength = 3;
    public const uint MaxValue = 0xFFFFFF;
    private const int FractionBits = 18;

    public static string Uri => "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /// <summary>Bits 14-37 of an NTP timestamp (32.32 fixed point seconds).</summary>
    public static AbsoluteSendTime FromNtpTimestamp(ulong ntpTimestamp) => new((uint)(ntpTimestamp >> 14) & MaxValue);

    /// <summary>A time on any clock, truncated to 1/262144 s and taken modulo 64 s.</summary>
    public static AbsoluteSendTime FromTime(TimeSpan time)
    {
        Int128 units = (Int128)time.Ticks * (1 << FractionBits) / TimeSpan.TicksPerSecond;
        return new AbsoluteSendTime((uint)(units & MaxValue));
    }

    /// <summary>The time within the 64-second cycle, truncated to 100 ns.</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks((long)(Value & MaxValue) * TimeSpan.TicksPerSecond >> FractionBits);

    public static bool TryRead(ReadOnlySpan<byte> value, out AbsoluteSendTime element)
    {
        bool ok = value.Length == EncodedLength;
        element = ok ? new AbsoluteSendTime((uint)((value[0] << 16) | (value[1] << 8) | value[2])) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (Value > MaxValue || destination.Length < EncodedLength)
        {
            return false;
        }

        destination[0] = (byte)(Value >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)Value);
        written = EncodedLength;
        return true;
    }
}
