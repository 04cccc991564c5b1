using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.StunServer.Tests;

internal static class Requests
{
    public static readonly TransportAddress Client = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("203.0.113.9:40000"));
    public static readonly TransportAddress Server = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:3478"));

    public static readonly NatDiscoveryGrid Grid = new(Server,
        TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.2:3479")));

    public delegate void AddAttributes(ref StunMessageBuilder builder);

    public static byte[] Binding(AddAttributes? add = null, StunClass @class = StunClass.Request,
        StunMethod method = StunMethod.Binding, bool fingerprint = true)
    {
        byte[] buffer = new byte[2048];
        var builder = new StunMessageBuilder(buffer, new StunMessageType(method, @class), TransactionId.NewRandom());
        add?.Invoke(ref builder);
        if (fingerprint)
        {
            builder.AddFingerprint();
        }

        return builder.Message.ToArray();
    }

    public static StunMessage Parse(ReadOnlySpan<byte> response)
    {
        Assert.True(StunMessage.TryParse(response.ToArray(), out StunMessage message), "the response parses");
        Assert.True(message.CheckFingerprint(), "the response carries a valid FINGERPRINT");
        return message;
    }
}
