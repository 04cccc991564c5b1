using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// A codec of an RTP media section, gathered from the lines that describe one payload type: its <c>a=rtpmap</c>, its
/// <c>a=fmtp</c> parameters, the <c>a=rtcp-fb</c> lines that apply to it (its own and the <c>*</c> ones), and the RTX
/// payload type whose <c>apt</c> names it (RFC 4588 §8.6). An SFU picks codecs by <see cref="Name"/> and parameters,
/// e.g. H.264 with <c>profile-level-id=42e01f</c> and <c>packetization-mode=1</c>.
/// </summary>
public sealed record Codec
{
    /// <exception cref="ArgumentException">The values would not make a valid <c>a=rtpmap</c> line.</exception>
    public Codec(int payloadType, string name, uint clockRate, int? channels = null)
    {
        Rtpmap map = new(payloadType, name, clockRate, channels);
        PayloadType = map.PayloadType;
        Name = map.EncodingName;
        ClockRate = map.ClockRate;
        Channels = map.Channels;
    }

    public int PayloadType
    {
        get;
        init => field = SdpGrammar.RequireRange(value, 0, 127, nameof(PayloadType));
    }

    /// <summary>The encoding name as written: <c>opus</c>, <c>VP8</c>, <c>H264</c>...</summary>
    public string Name { get; }

    public uint ClockRate { get; }

    public int? Channels { get; }

    public IReadOnlyList<FmtpParameter> Parameters
    {
        get;
        init => field = [.. value];
    } = [];

    public IReadOnlyList<RtcpFeedback> Feedback
    {
        get;
        init => field = [.. value];
    } = [];

    /// <summary>The payload type of its retransmission stream, if one is offered.</summary>
    public int? RtxPayloadType
    {
        get;
        init => field = value is null ? null : SdpGrammar.RequireRange(value.Value, 0, 127, nameof(RtxPayloadType));
    }

    /// <summary>Whether the encoding name is this one, ignoring case (media subtypes are case-insensitive).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public bool TryGetParameter(string name, [NotNullWhen(true)] out string? value) => Fmtp.TryGet(Parameters, name, out value);

    /// <summary>Whether a parameter has this value; names and values compare ignoring case (hex profile ids do).</summary>
    public bool HasParameter(string name, string value) =>
        TryGetParameter(name, out string? actual) && string.Equals(actual, value, StringComparison.OrdinalIgnoreCase);

    public bool HasFeedback(string type, string? subtype = null) => Feedback.Any(f => f.Is(type, subtype));

    public Rtpmap ToRtpmap() => new(PayloadType, Name, ClockRate, Channels);

    public override string ToString()
    {
        string text = $"{ToRtpmap()}";
        text = Parameters.Count == 0 ? text : $"{text} {Fmtp.FormatParameters(Parameters)}";
        return RtxPayloadType is int rtx ? $"{text} (rtx {SdpGrammar.Format(rtx)})" : text;
    }

    public bool Equals(Codec? other) =>
        other is not null && PayloadType == other.PayloadType && Name == other.Name && ClockRate == other.ClockRate
        && Channels == other.Channels && RtxPayloadType == other.RtxPayloadType
        && SequenceEquality.Equal(Parameters, other.Parameters) && SequenceEquality.Equal(Feedback, other.Feedback);

    public override int GetHashCode() =>
        HashCode.Combine(PayloadType, Name, ClockRate, Channels, RtxPayloadType, SequenceEquality.Hash(Parameters),
            SequenceEquality.Hash(Feedback));
}
