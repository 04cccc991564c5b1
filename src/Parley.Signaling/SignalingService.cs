using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Signaling.Rpc;

namespace Parley.Signaling;

/// <summary>
/// What changes sessions and participants, shared by the WebSocket RPC and the REST API: participants leaving or
/// being evicted, sessions closing (by the API, or when their last participant leaves), and the periodic sweep that
/// enforces the keep-alive watchdog, the reconnection window and the garbage collection of unused sessions.
/// </summary>
public sealed partial class SignalingService(
    SessionRegistry sessions, RpcSessionRegistry rpcSessions, IOptions<SignalingOptions> options, ILogger<SignalingService> log)
{
    /// <summary>How long an evicted client's socket stays open for it to read why (OpenVidu: 10 s).</summary>
    internal const long EvictedSocketGraceMs = 10_000;

    public SessionRegistry Sessions => sessions;

    public RpcSessionRegistry RpcSessions => rpcSessions;

    internal SignalingOptions Options => options.Value;

    /// <summary>
    /// Removes a connection from its session: a pending one's token stops working; an active one's participant leaves
    /// (others get <c>participantLeft</c>) or, when <paramref name="evicted"/>, is evicted (everyone also gets
    /// <c>participantEvicted</c> and the evicted client's socket is closed after a grace period). The session
    /// closes when its last participant leaves. False when the connection is not in the session.
    /// </summary>
    public bool RemoveConnection(SignalingSession session, string connectionId, string reason, bool evicted)
    {
        RpcSession? rpc = session.FindConnection(connectionId)?.Rpc;
        if (!session.Remove(connectionId, reason, evicted, out SessionConnection? removed, out bool lastLeft))
        {
            return false;
        }

        if (removed!.ActiveAt is not null)
        {
            LogParticipantLeft(session.SessionId, connectionId, reason);
        }

        if (evicted && rpc is not null)
        {
            rpc.CloseAt = sessions.Now + EvictedSocketGraceMs;
        }

        if (lastLeft)
        {
            CloseSession(session, EndReason.LastParticipantLeft);
        }

        return true;
    }

    /// <summary>Closes a session: every participant is evicted with <paramref name="reason"/>, every token dies.</summary>
    public bool CloseSession(SignalingSession session, string reason)
    {
        if (!sessions.Remove(session))
        {
            return false;
        }

        foreach (SessionConnection connection in session.Close())
        {
            RpcSession? rpc = connection.Rpc;
            session.Remove(connection.ConnectionId, reason, evicted: true, out _, out _);
            if (rpc is not null)
            {
                rpc.CloseAt = sessions.Now + EvictedSocketGraceMs;
            }
        }

        LogSessionClosed(session.SessionId, reason);
        return true;
    }

    /// <summary>
    /// One pass of housekeeping at <paramref name="now"/>: sockets whose client stopped pinging for three intervals
    /// are closed; clients gone longer than the reconnection window (or with more piled up than they can catch up
    /// on) are evicted with <c>networkDisconnect</c>; evicted clients' sockets are closed after their grace period;
    /// sessions nobody ever joined are closed once older than the garbage threshold.
    /// </summary>
    public void Sweep(long now)
    {
        long reconnectionWindow = (long)options.Value.ReconnectionWindow.TotalMilliseconds;
        foreach (RpcSession rpc in rpcSessions.All)
        {
            if (rpc.DetachedAt is null)
            {
                bool silent = rpc.PingIntervalMs > 0 && now - rpc.LastPingAt > 3 * rpc.PingIntervalMs;
                bool evictedLongAgo = rpc.CloseAt is { } closeAt && now >= closeAt;
                if (silent || evictedLongAgo || rpc.Overflowed)
                {
                    rpc.AbortSocket();
                }

                continue;
            }

            if (rpc.Participant is null)
            {
                rpcSessions.Remove(rpc);
            }
            else if (now - rpc.DetachedAt >= reconnectionWindow || rpc.Overflowed)
            {
                rpcSessions.Remove(rpc);
                if (rpc.Session is { } session)
                {
                    RemoveConnection(session, rpc.Participant.ConnectionId, EndReason.NetworkDisconnect, evicted: true);
                }
            }
        }

        long threshold = (long)options.Value.SessionGarbageThreshold.TotalMilliseconds;
        foreach (SignalingSession session in sessions.All)
        {
            if (!session.EverActive && now - session.CreatedAt > threshold)
            {
                CloseSession(session, EndReason.AutomaticStop);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {ConnectionId} left ({Reason})")]
    private partial void LogParticipantLeft(string sessionId, string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} closed ({Reason})")]
    private partial void LogSessionClosed(string sessionId, string reason);
}
