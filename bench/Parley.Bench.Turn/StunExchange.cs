using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// One STUN transaction over UDP (RFC 8489 §6.2.1), for the set-up and release of allocations: the request is
/// sent, and sent again every 250 ms, up to 8 times, until a response with its transaction id comes back from the
/// server. Other datagrams (relayed data still arriving, answers to an earlier copy) are skipped.
/// <para>
/// Blocking calls, on purpose: a socket that has seen one asynchronous operation stays registered with .NET's epoll
/// thread, which then wakes up for every datagram the socket receives, load included (a sixth of a core here).
/// </para>
/// <para>
/// The allocation phase's <see cref="TransactionBurstWorker"/> keeps many transactions in flight on one thread
/// without blocking, with the same policy and the same checks: <see cref="IsAnswer"/>, <see cref="Refused"/> and
/// <see cref="NoAnswer"/>.
/// </para>
/// </summary>
internal static class StunExchange
{
    /// <summary>Copies of a request sent before giving up.</summary>
    public const int Attempts = 8;

    private const int ReceiveBufferLength = 4096;

    /// <summary>How long a copy of a request waits for its answer before the next copy goes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The response, parsed from a buffer of its own; fails when none comes, or it comes from elsewhere.</summary>
    public static StunMessage Run(Socket socket, IPEndPoint server, StunRequest request,
        CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[ReceiveBufferLength];
        socket.Blocking = true;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (socket.Connected)
                {
                    socket.Send(request.Datagram);
                }
                else
                {
                    socket.SendTo(request.Datagram, server);
                }

                long deadline = Stopwatch.GetTimestamp() + (long)(Interval.TotalSeconds * Stopwatch.Frequency);
                while (TryReceive(socket, buffer, deadline, out int length, out EndPoint? from))
                {
                    if (IsAnswer(buffer.AsSpan(0, length), from, server, request, out StunMessage response))
                    {
                        return response;
                    }
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                throw Refused(server, request);
            }
        }

        throw NoAnswer(server, request);
    }

    /// <summary>
    /// Whether a datagram that came from <paramref name="from"/> is the answer to <paramref name="request"/>, parsed
    /// into a buffer of its own; false for anything else (relayed data, an answer to an earlier request). Fails
    /// when it comes from an address other than the server's.
    /// </summary>
    public static bool IsAnswer(ReadOnlySpan<byte> datagram, EndPoint? from, IPEndPoint server, StunRequest request,
        out StunMessage response)
    {
        if (!server.Equals(from))
        {
            throw new BenchmarkException(
                $"{request.What}: the answer came from {from}, not from {server} where the request went");
        }

        return StunMessage.TryParse(datagram.ToArray(), out response) && response.TransactionId == request.Id;
    }

    /// <summary>The failure when the server's port answers with ICMP port unreachable.</summary>
    public static BenchmarkException Refused(IPEndPoint server, StunRequest request) =>
        new($"{request.What}: nothing listens on {server} (ICMP port unreachable)");

    /// <summary>The failure when every copy of the request went unanswered.</summary>
    public static BenchmarkException NoAnswer(IPEndPoint server, StunRequest request) =>
        new($"{request.What}: no answer from {server} to {Attempts} copies of the request over {(Attempts * Interval).TotalSeconds:0} s");

    /// <summary>Waits for a datagram until <paramref name="deadline"/>; false when none came.</summary>
    private static bool TryReceive(Socket socket, byte[] buffer, long deadline, out int length, out EndPoint? from)
    {
        length = 0;
        from = null;
        int remaining = (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds);
        if (remaining <= 0)
        {
            return false;
        }

        socket.ReceiveTimeout = remaining;
        EndPoint source = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            length = socket.ReceiveFrom(buffer, ref source);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }

        from = source;
        return true;
    }
}
