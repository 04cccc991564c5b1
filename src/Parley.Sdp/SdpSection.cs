using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// One level of a description: the session part before the first m= line (<see cref="SessionDescription"/>), or a
/// media section after its m= line (<see cref="MediaDescription"/>). Its lines stay in the order written, so what this
/// library does not understand is kept where it was; the typed members read attributes on demand and write through to
/// the lines. Mutators refuse values that would make a known attribute unparseable. Not thread-safe: one owner at a time.
/// </summary>
public abstract class SdpSection
{
    internal const string MidName = "mid";
    internal const string IceUfragName = "ice-ufrag";
    internal const string IcePwdName = "ice-pwd";
    internal const string IceOptionsName = "ice-options";
    private const string ExtmapAllowMixedName = "extmap-allow-mixed";

    private static readonly string[] DirectionNames = ["sendrecv", "sendonly", "recvonly", "inactive"];

    private readonly List<SdpLine> _lines = [];

    private protected SdpSection()
    {
    }

    /// <summary>Every line of this level in order (for a media section, those after its m= line).</summary>
    public IReadOnlyList<SdpLine> Lines => _lines;

    /// <summary>The <c>a=</c> lines of this level, in order, as name and value.</summary>
    public IEnumerable<SdpAttribute> Attributes =>
        _lines.Where(l => l.IsAttribute).Select(l => SdpAttribute.TryParse(l.Value, out SdpAttribute? a) ? a : null).OfType<SdpAttribute>();

    /// <summary>The <c>c=</c> line (RFC 8866 §5.7); setting it replaces it in place or inserts it before the <c>b=</c>,
    /// <c>t=</c> and <c>a=</c> lines; null removes it.</summary>
    public ConnectionData? Connection
    {
        get => FindLine('c') is SdpLine line && ConnectionData.TryParse(line.Value, out ConnectionData? c) ? c : null;
        set => SetLine('c', value?.ToString());
    }

    /// <summary>The <c>b=</c> lines (RFC 8866 §5.8).</summary>
    public IReadOnlyList<Bandwidth> Bandwidths =>
        [.. _lines.Where(l => l.Type == 'b').Select(l => Bandwidth.TryParse(l.Value, out Bandwidth? b) ? b : null).OfType<Bandwidth>()];

    /// <summary><c>a=ice-ufrag</c> (RFC 8839 §5.4): the ICE username fragment, 4 to 256 ice-chars; null removes it.</summary>
    public string? IceUfrag
    {
        get => GetAttributeValue(IceUfragName);
        set => SetOrRemoveAttribute(IceUfragName, value);
    }

    /// <summary><c>a=ice-pwd</c> (RFC 8839 §5.4): the ICE password, 22 to 256 ice-chars; null removes it.</summary>
    public string? IcePwd
    {
        get => GetAttributeValue(IcePwdName);
        set => SetOrRemoveAttribute(IcePwdName, value);
    }

    /// <summary>The tags of <c>a=ice-options</c> (RFC 8839 §5.6), e.g. <c>trickle</c>; setting none removes it.</summary>
    public IReadOnlyList<string> IceOptions
    {
        get => GetAttributeValue(IceOptionsName) is string tags ? tags.Split(' ') : [];
        set => SetOrRemoveAttribute(IceOptionsName, value.Count == 0 ? null : string.Join(' ', value));
    }

    /// <summary>The <c>a=fingerprint</c> lines (RFC 8122 §5); set one with <see cref="Set{T}"/>.</summary>
    public IReadOnlyList<Fingerprint> Fingerprints => GetAll<Fingerprint>();

    /// <summary><c>a=setup</c> (RFC 8842 §5): the DTLS role; null removes it.</summary>
    public DtlsSetup? Setup
    {
        get => DtlsSetupExtensions.TryParseDtlsSetup(GetAttributeValue(DtlsSetupExtensions.AttributeName), out DtlsSetup s) ? s : null;
        set => SetOrRemoveAttribute(DtlsSetupExtensions.AttributeName, value?.ToSdpString());
    }

    /// <summary>The direction attribute written at this level, or null if there is none (which means sendrecv).
    /// Setting it replaces the existing one where it stands.</summary>
    public MediaDirection? Direction
    {
        get
        {
            foreach (SdpLine line in _lines)
            {
                if (line.AttributeName is string name && MediaDirectionExtensions.TryParseMediaDirection(name, out MediaDirection direction))
                {
                    return direction;
                }
            }

            return null;
        }

        set
        {
            int at = _lines.FindIndex(IsDirection);
            _lines.RemoveAll(IsDirection);
            if (value is MediaDirection direction)
            {
                _lines.Insert(at < 0 ? _lines.Count : at, new SdpLine('a', direction.ToSdpString()));
            }
        }
    }

    /// <summary><c>a=extmap-allow-mixed</c> (RFC 8285 §6): one-byte and two-byte header extensions may be mixed.</summary>
    public bool ExtmapAllowMixed
    {
        get => HasAttribute(ExtmapAllowMixedName);
        set => SetFlag(ExtmapAllowMixedName, value);
    }

    /// <summary>The <c>a=extmap</c> lines (RFC 8285 §8), in order.</summary>
    public IReadOnlyList<Extmap> Extmaps => GetAll<Extmap>();

    public bool HasAttribute(string name) => IndexOfAttribute(name, 0) >= 0;

    /// <summary>The value of the first attribute with this name; null if it is absent or has no value.</summary>
    public string? GetAttributeValue(string name)
    {
        int at = IndexOfAttribute(name, 0);
        return at < 0 ? null : SdpAttribute.ValueOf(_lines[at].Value, name);
    }

    /// <summary>The values of every attribute with this name, in order (null for those without a value).</summary>
    public IReadOnlyList<string?> GetAttributeValues(string name) =>
        [.. _lines.Where(l => l.IsAttribute && SdpAttribute.HasName(l.Value, name)).Select(l => SdpAttribute.ValueOf(l.Value, name))];

    /// <summary>Adds an attribute after the last one with the same name, or at the end.</summary>
    public void AddAttribute(string name, string? value = null)
    {
        SdpLine line = AttributeLine(name, value);
        int last = _lines.FindLastIndex(l => l.IsAttribute && SdpAttribute.HasName(l.Value, name));
        _lines.Insert(last < 0 ? _lines.Count : last + 1, line);
    }

    /// <summary>Replaces the first attribute with this name where it stands and drops the others; adds it if absent.</summary>
    public void SetAttribute(string name, string? value = null)
    {
        SdpLine line = AttributeLine(name, value);
        int first = IndexOfAttribute(name, 0);
        if (first < 0)
        {
            _lines.Add(line);
            return;
        }

        _lines[first] = line;
        for (int at = IndexOfAttribute(name, first + 1); at >= 0; at = IndexOfAttribute(name, at))
        {
            _lines.RemoveAt(at);
        }
    }

    public int RemoveAttributes(string name) => _lines.RemoveAll(l => l.IsAttribute && SdpAttribute.HasName(l.Value, name));

    /// <summary>The first attribute of this type that parses.</summary>
    public bool TryGet<T>([NotNullWhen(true)] out T? attribute)
        where T : class, ISdpAttribute<T>
    {
        foreach (SdpLine line in _lines)
        {
            if (line.IsAttribute && SdpAttribute.HasName(line.Value, T.AttributeName)
                && SdpAttribute.ValueOf(line.Value, T.AttributeName) is string value && T.TryParseValue(value, out attribute))
            {
                return true;
            }
        }

        attribute = null;
        return false;
    }

    /// <summary>Every attribute of this type, in order.</summary>
    public IReadOnlyList<T> GetAll<T>()
        where T : class, ISdpAttribute<T>
    {
        var all = new List<T>();
        foreach (SdpLine line in _lines)
        {
            if (line.IsAttribute && SdpAttribute.HasName(line.Value, T.AttributeName)
                && SdpAttribute.ValueOf(line.Value, T.AttributeName) is string value && T.TryParseValue(value, out T? attribute))
            {
                all.Add(attribute);
            }
        }

        return all;
    }

    /// <summary>Adds the attribute after the last one of its type, or at the end.</summary>
    public void Add<T>(T attribute)
        where T : class, ISdpAttribute<T> => AddAttribute(T.AttributeName, attribute.FormatValue());

    /// <summary>Makes this the only attribute of its type, in the place of the first one.</summary>
    public void Set<T>(T attribute)
        where T : class, ISdpAttribute<T> => SetAttribute(T.AttributeName, attribute.FormatValue());

    /// <summary>Removes the attributes of this type that match (all of them without a predicate).</summary>
    public int RemoveAll<T>(Func<T, bool>? match = null)
        where T : class, ISdpAttribute<T> =>
        _lines.RemoveAll(l => l.IsAttribute && SdpAttribute.HasName(l.Value, T.AttributeName)
            && (match is null || (SdpAttribute.ValueOf(l.Value, T.AttributeName) is string value
                && T.TryParseValue(value, out T? attribute) && match(attribute))));

    public void AddBandwidth(Bandwidth bandwidth) => InsertLine(new SdpLine('b', bandwidth.ToString()));

    public int RemoveBandwidths() => _lines.RemoveAll(l => l.Type == 'b');

    /// <summary>Adds a line of a type this library has no typed member for (<c>i=</c>, <c>k=</c>, an unknown letter...)
    /// where RFC 8866 §5 orders it.</summary>
    public void AddLine(SdpLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!AllowsLine(line.Type) || line.Type is 'c' or 'b' or 't' || (line.IsAttribute && !IsValidAttributeLine(line.Value)))
        {
            throw new ArgumentException($"Use the typed members for {line.Type}= lines, or this line is malformed.", nameof(line));
        }

        InsertLine(line);
    }

    /// <summary>The rank of a line type in RFC 8866 §5's order at this level; a new line goes after those ranked at or
    /// below it.</summary>
    private protected abstract int Rank(char type);

    /// <summary>Whether a line of this type may stand at this level.</summary>
    internal abstract bool AllowsLine(char type);

    private protected SdpLine? FindLine(char type) => _lines.Find(l => l.Type == type);

    /// <summary>Replaces the first line of this type where it stands (or inserts it in order); null removes them all.</summary>
    private protected void SetLine(char type, string? value)
    {
        int at = _lines.FindIndex(l => l.Type == type);
        if (value is null)
        {
            _lines.RemoveAll(l => l.Type == type);
        }
        else if (at >= 0)
        {
            _lines[at] = new SdpLine(type, value);
        }
        else
        {
            InsertLine(new SdpLine(type, value));
        }
    }

    private protected void InsertLine(SdpLine line)
    {
        int rank = Rank(line.Type);
        int at = _lines.FindIndex(l => Rank(l.Type) > rank);
        _lines.Insert(at < 0 ? _lines.Count : at, line);
    }

    private protected void InsertLine(int index, SdpLine line) => _lines.Insert(index, line);

    private protected int IndexOfLine(Predicate<SdpLine> match) => _lines.FindIndex(match);

    private protected int LastIndexOfLine(Predicate<SdpLine> match) => _lines.FindLastIndex(match);

    private protected int RemoveLines(Predicate<SdpLine> match) => _lines.RemoveAll(match);

    private protected void SetFlag(string name, bool present)
    {
        if (!present)
        {
            RemoveAttributes(name);
        }
        else if (!HasAttribute(name))
        {
            _lines.Add(new SdpLine('a', name));
        }
    }

    private protected void SetOrRemoveAttribute(string name, string? value)
    {
        if (value is null)
        {
            RemoveAttributes(name);
        }
        else
        {
            SetAttribute(name, value);
        }
    }

    /// <summary>For the parser: lines arrive in order and have been checked.</summary>
    internal void AppendParsed(SdpLine line) => _lines.Add(line);

    internal static bool IsValidAttributeLine(string text) =>
        SdpAttribute.NameOf(text) is string name && SdpGrammar.IsToken(name) && AttributeRules.IsValid(name, SdpAttribute.ValueOf(text, name));

    private static SdpLine AttributeLine(string name, string? value)
    {
        var attribute = new SdpAttribute(name, value);
        if (!AttributeRules.IsValid(attribute.Name, attribute.Value))
        {
            throw new ArgumentException($"'{attribute}' is not a valid {name} attribute.", nameof(value));
        }

        return new SdpLine('a', attribute.ToString());
    }

    private static bool IsDirection(SdpLine line) => line.AttributeName is string name && DirectionNames.Contains(name);

    private int IndexOfAttribute(string name, int start)
    {
        for (int i = start; i < _lines.Count; i++)
        {
            if (_lines[i].IsAttribute && SdpAttribute.HasName(_lines[i].Value, name))
            {
                return i;
            }
        }

        return -1;
    }
}
