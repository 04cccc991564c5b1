using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=rid:&lt;rid-id&gt; &lt;send|recv&gt; [pt=&lt;fmt&gt;,...;][&lt;restriction&gt;;...]</c> (RFC 8851 §10): an RTP
/// stream identifier with the payload types and limits that apply to it. Chrome's simulcast offers write
/// <c>a=rid:q send</c>; the RFC's examples write <c>a=rid:1 send pt=97;max-width=1280;max-height=720</c>.
/// </summary>
public sealed record Rid : ISdpAttribute<Rid>
{
    public Rid(string id, RidDirection direction, IEnumerable<int>? payloadTypes = null, IEnumerable<RidRestriction>? restrictions = null)
    {
        Id = SdpGrammar.IsRidId(id) ? id : throw new ArgumentException($"'{id}' is not a rid-id.", nameof(id));
        Direction = direction;
        PayloadTypes = [.. (payloadTypes ?? []).Select(pt => SdpGrammar.RequireRange(pt, 0, 127, nameof(payloadTypes)))];
        Restrictions = [.. restrictions ?? []];
    }

    public static string AttributeName => "rid";

    public string Id { get; }

    public RidDirection Direction { get; }

    /// <summary>The payload types of the <c>pt=</c> list; empty when the line has none (every payload type applies).</summary>
    public IReadOnlyList<int> PayloadTypes { get; }

    public IReadOnlyList<RidRestriction> Restrictions { get; }

    public bool TryGetRestriction(string name, [NotNullWhen(true)] out string? value)
    {
        RidRestriction? found = Restrictions.FirstOrDefault(r => r.Name == name);
        value = found is null ? null : found.Value ?? "";
        return found is not null;
    }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Rid? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string id, out string rest) || !SdpGrammar.IsRidId(id))
        {
            return false;
        }

        string direction = rest;
        string? parameters = null;
        if (SdpGrammar.TrySplitFirst(rest, out string first, out string more))
        {
            (direction, parameters) = (first, more);
        }

        RidDirection dir;
        if (direction == "send")
        {
            dir = RidDirection.Send;
        }
        else if (direction == "recv")
        {
            dir = RidDirection.Recv;
        }
        else
        {
            return false;
        }

        var payloadTypes = new List<int>();
        var restrictions = new List<RidRestriction>();
        if (parameters is not null && !TryParseParameters(parameters, payloadTypes, restrictions))
        {
            return false;
        }

        attribute = new Rid(id, dir, payloadTypes, restrictions);
        return true;
    }

    public string FormatValue()
    {
        string head = $"{Id} {(Direction == RidDirection.Send ? "send" : "recv")}";
        var parameters = new List<string>();
        if (PayloadTypes.Count > 0)
        {
            parameters.Add("pt=" + string.Join(',', PayloadTypes.Select(SdpGrammar.Format)));
        }

        parameters.AddRange(Restrictions.Select(r => r.ToString()));
        return parameters.Count == 0 ? head : $"{head} {string.Join(';', parameters)}";
    }

    public override string ToString() => FormatValue();

    public bool Equals(Rid? other) =>
        other is not null && Id == other.Id && Direction == other.Direction
        && SequenceEquality.Equal(PayloadTypes, other.PayloadTypes) && SequenceEquality.Equal(Restrictions, other.Restrictions);

    public override int GetHashCode() =>
        HashCode.Combine(Id, Direction, SequenceEquality.Hash(PayloadTypes), SequenceEquality.Hash(Restrictions));

    /// <summary>An optional leading <c>pt=</c> list, then restrictions, all separated by ';'.</summary>
    private static bool TryParseParameters(string text, List<int> payloadTypes, List<RidRestriction> restrictions)
    {
        string[] pieces = text.Split(';');
        for (int i = 0; i < pieces.Length; i++)
        {
            string piece = pieces[i];
            int equals = piece.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? piece : piece[..equals];
            string? value = equals < 0 ? null : piece[(equals + 1)..];
            if (name == "pt")
            {
                if (i > 0 || value is null || !TryParsePayloadTypes(value, payloadTypes))
                {
                    return false;
                }
            }
            else if (!RidRestriction.IsName(name) || (value is not null && !RidRestriction.IsValue(value)))
            {
                return false;
            }
            else
            {
                restrictions.Add(new RidRestriction(name, value));
            }
        }

        return true;
    }

    private static bool TryParsePayloadTypes(string list, List<int> payloadTypes)
    {
        foreach (string pt in list.Split(','))
        {
            if (!SdpGrammar.TryParsePayloadType(pt, out int payloadType))
            {
                return false;
            }

            payloadTypes.Add(payloadType);
        }

        return true;
    }
}
