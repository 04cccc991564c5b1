using Microsoft.Extensions.Logging;

namespace Parley.Turn;

internal static partial class TurnLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "TURN allocation {Allocation} created, lifetime {Lifetime} s")]
    public static partial void AllocationCreated(ILogger logger, string allocation, uint lifetime);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "TURN allocation {Allocation} deleted: {Reason}")]
    public static partial void AllocationDeleted(ILogger logger, string allocation, string reason);

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "TURN {Method} of {Source} refused with {Code}")]
    public static partial void Refused(ILogger logger, string method, string source, int code);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "TURN request from {Source} failed")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "TURN relay to {Client} failed")]
    public static partial void RelayFailed(ILogger logger, Exception exception, string client);
}
