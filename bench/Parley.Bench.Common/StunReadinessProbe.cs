using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Common;

/// <summary>
/// Waits for a server under test to answer STUN: sends a Binding request every 100 ms from a loopback socket until
/// one is answered from the server's own address and the caller's check passes.
/// </summary>
public static class StunReadinessProbe
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Returns how long the server took to answer. Fails at once when the process exits or an answer is wrong
    /// (<paramref name="checkAnswer"/> gives what is wrong with it, or null; it is given the probe socket's own
    /// address, which XOR-MAPPED-ADDRESS should carry), and after <paramref name="timeout"/> when nothing answers.
    /// </summary>
    public static async Task<TimeSpan> WaitUntilAnsweringAsync(ServerProcess process, IPEndPoint endPoint, TimeSpan timeout,
        Func<StunMessage, TransportAddress, string?> checkAnswer, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var probeAddress = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
        byte[] request = new byte[StunMessage.HeaderLength];
        byte[] response = new byte[2048];
        var anyEndPoint = new IPEndPoint(IPAddress.Any, 0);
        long start = Stopwatch.GetTimestamp();
        string lastProblem = "no answer";
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            if (process.HasExited)
            {
                throw new BenchmarkException(
                    $"{process.Name} exited with code {process.ExitCode} before answering a Binding request; its last output:{Environment.NewLine}{process.Tail()}");
            }

            TransactionId id = TransactionId.NewRandom();
            int length = new StunMessageBuilder(request, StunMessageType.BindingRequest, id).Length;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(ProbeInterval);
            try
            {
                await socket.SendToAsync(request.AsMemory(0, length), SocketFlags.None, endPoint, cancellationToken);
                while (true)
                {
                    SocketReceiveFromResult received =
                        await socket.ReceiveFromAsync(response, SocketFlags.None, anyEndPoint, attempt.Token);
                    if (!StunMessage.TryParse(response.AsMemory(0, received.ReceivedBytes), out StunMessage answer)
                        || answer.TransactionId != id)
                    {
                        continue; // an answer to an earlier probe, or not STUN
                    }

                    if (checkAnswer(answer, probeAddress) is { } problem)
                    {
                        throw new BenchmarkException($"{process.Name} answered the Binding request wrongly: {problem}.");
                    }

                    if (!endPoint.Equals(received.RemoteEndPoint))
                    {
                        // The load runs use connected sockets, which would silently drop such answers.
                        throw new BenchmarkException($"{process.Name} answered from {received.RemoteEndPoint} instead of {endPoint}.");
                    }

                    return Stopwatch.GetElapsedTime(start);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the probe interval: ask again.
            }
            catch (SocketException e)
            {
                lastProblem = e.Message;
                await Task.Delay(ProbeInterval, cancellationToken);
            }
        }

        throw new BenchmarkException(
            $"{process.Name} did not answer a Binding request on {endPoint} within {timeout.TotalSeconds:0} s ({lastProblem}); its last output:{Environment.NewLine}{process.Tail()}");
    }
}
