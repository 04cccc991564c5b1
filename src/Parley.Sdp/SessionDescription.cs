using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Parley.Sdp;

/// <summary>
/// A session description (RFC 8866 §5) in the WebRTC subset of JSEP (RFC 8829 §5): the session-level lines
/// (<c>v=0</c>, <c>o=</c>, <c>s=</c>, <c>t=</c>, optional <c>c=</c> and <c>b=</c>, attributes such as
/// <c>a=group:BUNDLE</c>) and the media sections. Every line is kept in order, known or not, so parsing and writing a
/// browser's description gives back the same text; the typed members read and write the lines in place.
/// </summary>
public sealed class SessionDescription : SdpSection
{
    private const string IceLiteName = "ice-lite";
    private readonly List<MediaDescription> _media = [];

    /// <summary>A new description: <c>v=0</c>, the origin, <c>s=-</c> (or the name given) and <c>t=0 0</c>.</summary>
    public SessionDescription(Origin origin, string sessionName = "-")
    {
        ArgumentNullException.ThrowIfNull(origin);
        AppendParsed(new SdpLine('v', "0"));
        AppendParsed(new SdpLine('o', origin.ToString()));
        AppendParsed(new SdpLine('s', sessionName));
        AppendParsed(new SdpLine('t', Timing.Unbounded.ToString()));
    }

    private SessionDescription()
    {
    }

    /// <summary>The <c>o=</c> line; raise its version with <see cref="Origin.NextVersion"/> for each new description.</summary>
    public Origin Origin
    {
        get => Origin.TryParse(FindLine('o')!.Value, out Origin? origin) ? origin : throw new InvalidOperationException("No origin.");
        set => SetLine('o', (value ?? throw new ArgumentNullException(nameof(value))).ToString());
    }

    /// <summary>The <c>s=</c> line; JSEP writes <c>-</c>.</summary>
    public string SessionName
    {
        get => FindLine('s')!.Value;
        set => SetLine('s', value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The first <c>t=</c> line; WebRTC has exactly one, <c>t=0 0</c>.</summary>
    public Timing Timing => Timing.TryParse(FindLine('t')!.Value, out Timing? timing) ? timing : Timing.Unbounded;

    /// <summary>The media sections, in m= line order (the order JSEP matches offers and answers by).</summary>
    public IReadOnlyList<MediaDescription> Media => _media;

    /// <summary>The <c>a=group</c> lines (RFC 5888 §5).</summary>
    public IReadOnlyList<Group> Groups => GetAll<Group>();

    /// <summary>The first <c>a=group:BUNDLE</c>, or null.</summary>
    public Group? BundleGroup => Groups.FirstOrDefault(g => g.IsBundle);

    /// <summary><c>a=msid-semantic</c>, or null; null removes it.</summary>
    public MsidSemantic? MsidSemantic
    {
        get => TryGet(out MsidSemantic? semantic) ? semantic : null;
        set
        {
            if (value is null)
            {
                RemoveAll<MsidSemantic>();
            }
            else
            {
                Set(value);
            }
        }
    }

    /// <summary><c>a=ice-lite</c> (RFC 8839 §5.3): this side is an ICE-lite agent, as an SFU on a public address is.</summary>
    public bool IceLite
    {
        get => HasAttribute(IceLiteName);
        set => SetFlag(IceLiteName, value);
    }

    /// <summary>Parses a description. LF-only line ends are accepted as well as CRLF. Returns false, with a reason
    /// naming the line, for anything malformed: a missing <c>v=</c>, <c>o=</c>, <c>s=</c> or <c>t=</c>, a bad m= line,
    /// or a known attribute that does not follow its grammar. Never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error) =>
        SessionDescriptionParser.TryParse(text, out description, out error);

    public void AddMedia(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (_media.Contains(media))
        {
            throw new InvalidOperationException("The media section is already in this description.");
        }

        _media.Add(media);
    }

    public bool RemoveMedia(MediaDescription media) => _media.Remove(media);

    public MediaDescription? FindMedia(string mid) => _media.Find(m => m.Mid == mid);

    /// <summary>Sets <c>a=group:BUNDLE</c> to these mids, in place of any BUNDLE group.</summary>
    public void SetBundle(IEnumerable<string> mids)
    {
        var line = new SdpLine('a', $"{Group.AttributeName}:{new Group(Group.Bundle, mids).FormatValue()}");
        int at = IndexOfLine(IsBundleLine);
        RemoveLines(IsBundleLine);
        at = at >= 0 ? at : IndexOfLine(l => l.IsAttribute);
        InsertLine(at >= 0 ? at : Lines.Count, line);
    }

    /// <summary>The ICE and DTLS parameters for a media section, its own attributes overriding the session's.</summary>
    public TransportParameters GetTransportParameters(MediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        IReadOnlyList<Fingerprint> fingerprints = media.Fingerprints.Count > 0 ? media.Fingerprints : Fingerprints;
        IReadOnlyList<string> options = media.IceOptions.Count > 0 ? media.IceOptions : IceOptions;
        return new TransportParameters(media.IceUfrag ?? IceUfrag, media.IcePwd ?? IcePwd, options, IceLite, fingerprints,
            media.Setup ?? Setup);
    }

    /// <summary>The description as SDP: every line, CRLF-terminated (RFC 8866 §5).</summary>
    public override string ToString()
    {
        var text = new StringBuilder(4096);
        AppendLines(text, Lines);
        foreach (MediaDescription media in _media)
        {
            text.Append("m=").Append(media.FormatMediaLine()).Append("\r\n");
            AppendLines(text, media.Lines);
        }

        return text.ToString();
    }

    internal static SessionDescription CreateEmpty() => new();

    private protected override int Rank(char type) => type switch
    {
        'v' => 0,
        'o' => 1,
        's' => 2,
        'i' => 3,
        'u' => 4,
        'e' => 5,
        'p' => 6,
        'c' => 7,
        'b' => 8,
        't' or 'r' => 9,
        'z' => 10,
        'k' => 11,
        _ => 12,
    };

    internal override bool AllowsLine(char type) => type is not ('v' or 'o' or 's' or 'm');

    private static bool IsBundleLine(SdpLine line) =>
        line.AttributeName == Group.AttributeName && Group.TryParseValue(SdpAttribute.ValueOf(line.Value, Group.AttributeName) ?? "", out Group? group)
        && group.IsBundle;

    private static void AppendLines(StringBuilder text, IReadOnlyList<SdpLine> lines)
    {
        foreach (SdpLine line in lines)
        {
            text.Append(line.Type).Append('=').Append(line.Value).Append("\r\n");
        }
    }
}
