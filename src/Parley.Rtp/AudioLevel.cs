namespace Parley.Rtp;

/// <summary>
/// The client-to-mixer audio level element <c>urn:ietf:params:rtp-hdrext:ssrc-audio-level</c> (RFC 6464 §3): one
/// byte, the voice activity flag V and the level in -dBov (0 loudest, 127 silence).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |V|   level     |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct AudioLevel(bool VoiceActivity, byte Level) : IRtpExtensionValue<AudioLevel>
{
    public const int EncodedLength = 1;
    public const byte MaxLevel = 127;

    public static string Uri => "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public static bool TryRead(ReadOnlySpan<byte> value, out AudioLevel element)
    {
        bool ok = value.Length == EncodedLength;
        element = ok ? new AudioLevel((value[0] & 0x80) != 0, (byte)(value[0] & 0x7F)) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (Level > MaxLevel || destination.IsEmpty)
        {
            return false;
        }

        destination[0] = (byte)((VoiceActivity ? 0x80 : 0) | Level);
        written = EncodedLength;
        return true;
    }
}
