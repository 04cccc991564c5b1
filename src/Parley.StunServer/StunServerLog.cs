using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.StunServer;

internal static partial class StunServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "STUN listening on {Transport} {EndPoint}")]
    public static partial void Listening(ILogger logger, string transport, IPEndPoint endPoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "STUN NAT behaviour discovery (RFC 5780) on {Primary} and {Alternate}")]
    public static partial void NatDiscovery(ILogger logger, IPEndPoint primary, IPEndPoint alternate);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "STUN request from {Source} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "STUN UDP socket error {Error} ignored")]
    public static partial void SocketErrorIgnored(ILogger logger, System.Net.Sockets.SocketError error);

    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "STUN TCP connection from {Remote} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "STUN TCP connection limit {Limit} reached; refusing {Remote}")]
    public static partial void TcpLimit(ILogger logger, int limit, EndPoint? remote);
}
