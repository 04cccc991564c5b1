using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Turn;

/// <summary>
/// A TURN server under test: its process, where it listens (STUN and TURN over UDP), the relay ports it was given,
/// and the shared secret and realm its clients' credentials are made for.
/// </summary>
internal sealed class ServerUnderTest(ServerProcess process, IPEndPoint endPoint, PortRange relayPorts, string secret,
    string realm)
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    public ServerProcess Process { get; } = process;

    public string Name => Process.Name;

    public IPEndPoint EndPoint { get; } = endPoint;

    public PortRange RelayPorts { get; } = relayPorts;

    public string Secret { get; } = secret;

    public string Realm { get; } = realm;

    /// <summary>
    /// Sends Binding requests until one is answered with a Binding success from <see cref="EndPoint"/>; returns how
    /// long that took. Fails when the process exits first, or nothing answers within <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] request = new byte[64];
        byte[] response = new byte[2048];
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
            int length = WriteBindingRequest(request, id);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(ProbeInterval);
            try
            {
                await socket.SendToAsync(request.AsMemory(0, length), SocketFlags.None, EndPoint, cancellationToken);
                while (true)
                {
                    SocketReceiveFromResult received =
                        await socket.ReceiveFromAsync(response, SocketFlags.None, anyEndPoint, attempt.Token);
                    if (!StunMessage.TryParse(response.AsMemory(0, received.ReceivedBytes), out StunMessage answer)
                        || answer.TransactionId != id)
                    {
                        continue; // an answer to an earlier probe
                    }

                    if (answer.Type != StunMessageType.BindingSuccess || !answer.TryGet(out XorMappedAddress _))
                    {
                        throw new BenchmarkException($"{Name} answered a Binding request with {answer.Type}, not a Binding success with XOR-MAPPED-ADDRESS");
                    }

                    if (!EndPoint.Equals(received.RemoteEndPoint))
                    {
                        throw new BenchmarkException($"{Name} answered from {received.RemoteEndPoint} instead of {EndPoint}");
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

    private static int WriteBindingRequest(Span<byte> buffer, TransactionId id) =>
        new StunMessageBuilder(buffer, StunMessageType.BindingRequest, id).Length;
}
