using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>A peer on the far side of the relay: a plain UDP socket on loopback.</summary>
internal sealed class UdpPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65_536];

    public UdpPeer(IPAddress address)
    {
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _socket.DualMode = false;
        }

        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        Address = TransportAddress.FromIPEndPoint(EndPoint);
    }

    public IPEndPoint EndPoint { get; }

    public TransportAddress Address { get; }

    public Socket Socket => _socket;

    public async Task SendAsync(TransportAddress to, byte[] data) => await _socket.SendToAsync(data, SocketFlags.None, to.ToIPEndPoint());

    public async Task<(TransportAddress From, byte[] Data)?> TryReceiveAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            var any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            SocketReceiveFromResult result = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, any, cancellation.Token);
            return (TransportAddress.FromIPEndPoint((IPEndPoint)result.RemoteEndPoint), _buffer.AsSpan(0, result.ReceivedBytes).ToArray());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<(TransportAddress From, byte[] Data)> ReceiveAsync() =>
        await TryReceiveAsync(TurnTestClient.DefaultTimeout) ?? throw new TimeoutException($"Nothing reached the peer {EndPoint}.");

    public void Dispose() => _socket.Dispose();
}
