using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Stun;

/// <summary>A STUN server under test: its process, and where it listens for STUN over UDP.</summary>
internal sealed class StunServer(ServerProcess process, IPEndPoint endPoint)
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    public ServerProcess Process { get; } = process;

    public IPEndPoint EndPoint { get; } = endPoint;

    public string Name => Process.Name;

    /// <summary>
    /// Sends Binding requests until one is answered correctly. Fails at once when the process exits or answers
    /// wrongly, and after <paramref name="timeout"/> when nothing answers.
    /// </summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var expected = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
        byte[] request = new byte[StunWire.RequestBufferLength];
        byte[] response = new byte[StunWire.ResponseBufferLength];
        var anyEndPoint = new IPEndPoint(IPAddress.Any, 0);
        long start = Stopwatch.GetTimestamp();
        string lastProblem = "no answer";
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            if (Process.HasExited)
            {
                throw new BenchmarkException(
                    $"{Name} exited with code {Process.ExitCode} before answering a Binding request; its last output:{Environment.NewLine}{Process.Tail()}");
            }

            TransactionId id = TransactionId.NewRandom();
            int length = StunWire.WriteBindingRequest(request, id);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(ProbeInterval);
            try
            {
                await socket.SendToAsync(request.AsMemory(0, length), SocketFlags.None, EndPoint, cancellationToken);
                while (true)
                {
                    SocketReceiveFromResult received =
                        await socket.ReceiveFromAsync(response, SocketFlags.None, anyEndPoint, attempt.Token);
                    Fault? fault = StunWire.CheckBindingResponse(response.AsMemory(0, received.ReceivedBytes), expected,
                        out TransactionId answered, out _);
                    if (answered != id)
                    {
                        continue; // an answer to an earlier probe
                    }

                    if (fault is { } f)
                    {
                        throw new BenchmarkException($"{Name} answered the Binding request wrongly: {StunWire.Describe(f)}.");
                    }

                    if (!EndPoint.Equals(received.RemoteEndPoint))
                    {
                        // The load runs use connected sockets, which would silently drop such answers.
                        throw new BenchmarkException(
                            $"{Name} answered from {received.RemoteEndPoint} instead of {EndPoint}.");
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
            $"{Name} did not answer a Binding request on {EndPoint} within {timeout.TotalSeconds:0} s ({lastProblem}); its last output:{Environment.NewLine}{Process.Tail()}");
    }
}
