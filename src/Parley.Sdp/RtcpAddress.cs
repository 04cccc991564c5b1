using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;]</c> (RFC 3605 §2.1): where RTCP goes
/// when it is not on the RTP port. With rtcp-mux it is a formality; Chrome writes <c>9 IN IP4 0.0.0.0</c>.
/// </summary>
public sealed record RtcpAddress : ISdpAttribute<RtcpAddress>
{
    public RtcpAddress(int port, ConnectionData? connection = null)
    {
        Port = SdpGrammar.RequireRange(port, 0, 65535, nameof(port));
        Connection = connection;
    }

    public static string AttributeName => "rtcp";

    public int Port { get; }

    public ConnectionData? Connection { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out RtcpAddress? attribute)
    {
        attribute = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        ConnectionData? connection = null;
        if (!SdpGrammar.TryParsePort(space < 0 ? value : value.AsSpan(0, space), out int port)
            || (space >= 0 && !ConnectionData.TryParse(value[(space + 1)..], out connection)))
        {
            return false;
        }

        attribute = new RtcpAddress(port, connection);
        return true;
    }

    public string FormatValue() => Connection is null ? SdpGrammar.Format(Port) : $"{SdpGrammar.Format(Port)} {Connection}";

    public override string ToString() => FormatValue();
}
