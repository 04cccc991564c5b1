using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=simulcast:send &lt;list&gt; [recv &lt;list&gt;]</c> (RFC 8853 §5.1), either direction first: the simulcast
/// streams, by rid, that the endpoint sends and receives in this media section. A list is streams separated by ';',
/// each a set of alternative rids separated by ','; <c>~</c> marks a paused rid. Chrome writes
/// <c>send q;h;f</c>; RFC 8853 §5.1 shows <c>send 1,~4;2;3 recv c</c>. Written send first.
/// </summary>
public sealed class Simulcast : ISdpAttribute<Simulcast>, IEquatable<Simulcast>
{
    public Simulcast(IEnumerable<SimulcastStream>? send, IEnumerable<SimulcastStream>? receive = null)
    {
        Send = [.. send ?? []];
        Receive = [.. receive ?? []];
        if (Send.Count == 0 && Receive.Count == 0)
        {
            throw new ArgumentException("A simulcast attribute needs a send or a recv list.", nameof(send));
        }
    }

    public static string AttributeName => "simulcast";

    public IReadOnlyList<SimulcastStream> Send { get; }

    public IReadOnlyList<SimulcastStream> Receive { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Simulcast? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] fields) || fields.Length is not (2 or 4))
        {
            return false;
        }

        List<SimulcastStream>? send = null;
        List<SimulcastStream>? receive = null;
        for (int i = 0; i < fields.Length; i += 2)
        {
            if (!TryParseList(fields[i + 1], out List<SimulcastStream> list))
            {
                return false;
            }

            if (fields[i] == "send" && send is null)
            {
                send = list;
            }
            else if (fields[i] == "recv" && receive is null)
            {
                receive = list;
            }
            else
            {
                return false;
            }
        }

        attribute = new Simulcast(send, receive);
        return true;
    }

    public string FormatValue()
    {
        string? send = Send.Count == 0 ? null : "send " + string.Join(';', Send);
        string? receive = Receive.Count == 0 ? null : "recv " + string.Join(';', Receive);
        return send is null ? receive! : receive is null ? send : $"{send} {receive}";
    }

    public override string ToString() => FormatValue();

    public bool Equals(Simulcast? other) =>
        other is not null && SequenceEquality.Equal(Send, other.Send) && SequenceEquality.Equal(Receive, other.Receive);

    public override bool Equals(object? obj) => Equals(obj as Simulcast);

    public override int GetHashCode() => HashCode.Combine(SequenceEquality.Hash(Send), SequenceEquality.Hash(Receive));

    private static bool TryParseList(string text, out List<SimulcastStream> streams)
    {
        streams = [];
        foreach (string stream in text.Split(';'))
        {
            var alternatives = new List<SimulcastRid>();
            foreach (string id in stream.Split(','))
            {
                bool paused = id.StartsWith('~');
                string rid = paused ? id[1..] : id;
                if (!SdpGrammar.IsRidId(rid))
                {
                    return false;
                }

                alternatives.Add(new SimulcastRid(rid, paused));
            }

            streams.Add(new SimulcastStream(alternatives));
        }

        return true;
    }
}
