using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// A media section (RFC 8866 §5.14): <c>m=&lt;media&gt; &lt;port&gt;[/&lt;count&gt;] &lt;proto&gt; &lt;fmt&gt; ...</c> and
/// the lines after it. In WebRTC (RFC 8829 §5.2.1) the media is audio, video or application, the port 9 (or 0 when
/// rejected), the protocol <c>UDP/TLS/RTP/SAVPF</c> with payload types as formats, or <c>UDP/DTLS/SCTP</c> with
/// <c>webrtc-datachannel</c> for data channels. The codecs of an RTP section are in <see cref="Codecs"/>.
/// </summary>
public sealed partial class MediaDescription : SdpSection
{
    public const string Audio = "audio";
    public const string Video = "video";
    public const string Application = "application";
    public const string RtpProtocol = "UDP/TLS/RTP/SAVPF";
    public const string SctpProtocol = "UDP/DTLS/SCTP";
    public const string DataChannelFormat = "webrtc-datachannel";

    /// <summary>The discard port JSEP writes in m= lines until ICE has chosen an address (RFC 8829 §5.2.1).</summary>
    public const int DiscardPort = 9;

    internal const string SctpPortName = "sctp-port";
    internal const string MaxMessageSizeName = "max-message-size";
    private const string RtcpMuxName = "rtcp-mux";
    private const string RtcpRsizeName = "rtcp-rsize";
    private const string EndOfCandidatesName = "end-of-candidates";

    private readonly List<string> _formats;
    private int _port;

    public MediaDescription(string media, int port, string protocol, IEnumerable<string> formats, int? portCount = null)
    {
        Media = SdpGrammar.RequireToken(media, nameof(media));
        Port = port;
        PortCount = portCount is null ? null : SdpGrammar.RequireRange(portCount.Value, 1, int.MaxValue, nameof(portCount));
        Protocol = IsProtocol(protocol) ? protocol : throw new ArgumentException($"'{protocol}' is not a protocol.", nameof(protocol));
        _formats = [.. formats.Select(f => SdpGrammar.RequireToken(f, nameof(formats)))];
    }

    /// <summary>An empty RTP section in the JSEP shape: port 9, <c>UDP/TLS/RTP/SAVPF</c>, <c>c=IN IP4 0.0.0.0</c>,
    /// its mid, and rtcp-mux. Add codecs with <see cref="AddCodec"/>.</summary>
    public static MediaDescription CreateRtp(string media, string mid)
    {
        var section = new MediaDescription(media, DiscardPort, RtpProtocol, []) { Connection = ConnectionData.Unspecified };
        section.Mid = mid;
        section.RtcpMux = true;
        return section;
    }

    /// <summary>The media type: audio, video, application...</summary>
    public string Media { get; }

    public int Port
    {
        get => _port;
        set => _port = SdpGrammar.RequireRange(value, 0, 65535, nameof(value));
    }

    public int? PortCount { get; }

    public string Protocol { get; }

    /// <summary>The formats of the m= line in order: payload types for RTP, <c>webrtc-datachannel</c> for SCTP.</summary>
    public IReadOnlyList<string> Formats => _formats;

    /// <summary>Whether the protocol carries RTP, so the formats are payload types.</summary>
    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.Ordinal);

    /// <summary>A rejected (or disabled bundled) section has port 0 (RFC 3264 §6; RFC 8829 §5.3.1).</summary>
    public bool IsRejected => Port == 0 && !HasAttribute("bundle-only");

    /// <summary><c>a=mid</c> (RFC 5888 §4): the section's identification tag, which BUNDLE groups and the RTP MID header
    /// extension (RFC 9143 §14) refer to; null removes it.</summary>
    public string? Mid
    {
        get => GetAttributeValue(MidName);
        set => SetOrRemoveAttribute(MidName, value);
    }

    /// <summary><c>a=rtcp-mux</c> (RFC 5761 §5.1.1): RTP and RTCP share the port. WebRTC requires it.</summary>
    public bool RtcpMux
    {
        get => HasAttribute(RtcpMuxName);
        set => SetFlag(RtcpMuxName, value);
    }

    /// <summary><c>a=rtcp-rsize</c> (RFC 5506 §5): reduced-size RTCP is accepted.</summary>
    public bool RtcpRsize
    {
        get => HasAttribute(RtcpRsizeName);
        set => SetFlag(RtcpRsizeName, value);
    }

    /// <summary><c>a=rtcp</c> (RFC 3605), or null.</summary>
    public RtcpAddress? Rtcp => TryGet(out RtcpAddress? rtcp) ? rtcp : null;

    public IReadOnlyList<IceCandidate> Candidates => GetAll<IceCandidate>();

    /// <summary><c>a=end-of-candidates</c> (RFC 8840 §8.2): no more candidates will come for this section.</summary>
    public bool EndOfCandidates
    {
        get => HasAttribute(EndOfCandidatesName);
        set => SetFlag(EndOfCandidatesName, value);
    }

    public IReadOnlyList<Rtpmap> Rtpmaps => GetAll<Rtpmap>();

    public IReadOnlyList<Fmtp> Fmtps => GetAll<Fmtp>();

    public IReadOnlyList<RtcpFeedback> RtcpFeedbacks => GetAll<RtcpFeedback>();

    public IReadOnlyList<Ssrc> Ssrcs => GetAll<Ssrc>();

    public IReadOnlyList<SsrcGroup> SsrcGroups => GetAll<SsrcGroup>();

    /// <summary>The <c>a=msid</c> lines; one per section in practice.</summary>
    public IReadOnlyList<Msid> Msids => GetAll<Msid>();

    public IReadOnlyList<Rid> Rids => GetAll<Rid>();

    public Simulcast? Simulcast
    {
        get => TryGet(out Simulcast? simulcast) ? simulcast : null;
        set
        {
            if (value is null)
            {
                RemoveAll<Simulcast>();
            }
            else
            {
                Set(value);
            }
        }
    }

    /// <summary><c>a=sctp-port</c> (RFC 8841 §5): the SCTP port of a data channel section.</summary>
    public int? SctpPort
    {
        get => SdpGrammar.TryParsePort(GetAttributeValue(SctpPortName), out int port) ? port : null;
        set => SetOrRemoveAttribute(SctpPortName, value is int port ? SdpGrammar.Format(SdpGrammar.RequireRange(port, 0, 65535, nameof(value))) : null);
    }

    /// <summary><c>a=max-message-size</c> (RFC 8841 §6): the largest message the data channel endpoint accepts.</summary>
    public ulong? MaxMessageSize
    {
        get => SdpGrammar.TryParseUInt64(GetAttributeValue(MaxMessageSizeName), out ulong size) ? size : null;
        set => SetOrRemoveAttribute(MaxMessageSizeName, value is ulong size ? SdpGrammar.Format(size) : null);
    }

    /// <summary>Adds a candidate after the others (before <c>a=end-of-candidates</c>, if present).</summary>
    public void AddCandidate(IceCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (Candidates.Count == 0 && IndexOfLine(l => l.AttributeName == EndOfCandidatesName) is int end and >= 0)
        {
            InsertLine(end, new SdpLine('a', $"{IceCandidate.AttributeName}:{candidate.FormatValue()}"));
        }
        else
        {
            Add(candidate);
        }
    }

    public void AddFormat(string format)
    {
        SdpGrammar.RequireToken(format, nameof(format));
        if (!_formats.Contains(format))
        {
            _formats.Add(format);
        }
    }

    public bool RemoveFormat(string format) => _formats.Remove(format);

    /// <summary>The text after <c>m=</c>.</summary>
    public string FormatMediaLine()
    {
        string port = PortCount is int count ? $"{SdpGrammar.Format(Port)}/{SdpGrammar.Format(count)}" : SdpGrammar.Format(Port);
        return _formats.Count == 0 ? $"{Media} {port} {Protocol}" : $"{Media} {port} {Protocol} {string.Join(' ', _formats)}";
    }

    public override string ToString() => $"m={FormatMediaLine()}";

    /// <summary>Reads the text after <c>m=</c>, which needs at least one format (RFC 8866 §5.14). The port and count
    /// must be written without leading zeros, so that the line is written back as it came.</summary>
    internal static bool TryParseMediaLine(string value, [NotNullWhen(true)] out MediaDescription? media)
    {
        media = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] f) || f.Length < 4 || !SdpGrammar.IsToken(f[0]) || !IsProtocol(f[2])
            || !f.Skip(3).All(format => SdpGrammar.IsToken(format)))
        {
            return false;
        }

        string port = f[1];
        int? count = null;
        int slash = port.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!IsCanonical(port.AsSpan(slash + 1)) || !SdpGrammar.TryParseInt(port.AsSpan(slash + 1), 1, int.MaxValue, out int number))
            {
                return false;
            }

            count = number;
            port = port[..slash];
        }

        if (!IsCanonical(port) || !SdpGrammar.TryParsePort(port, out int portNumber))
        {
            return false;
        }

        media = new MediaDescription(f[0], portNumber, f[2], f[3..], count);
        return true;
    }

    private protected override int Rank(char type) => type switch
    {
        'i' => 0,
        'c' => 1,
        'b' => 2,
        'k' => 3,
        _ => 4,
    };

    internal override bool AllowsLine(char type) => type is not ('v' or 'o' or 's' or 'u' or 'e' or 'p' or 't' or 'r' or 'z' or 'm');

    private static bool IsCanonical(ReadOnlySpan<char> number) => number.Length == 1 || (number.Length > 1 && number[0] != '0');

    /// <summary>proto = token *("/" token) (RFC 8866 §9).</summary>
    private static bool IsProtocol(string text) => text.Split('/').All(part => SdpGrammar.IsToken(part));
}
