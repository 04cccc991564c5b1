using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// Serves STUN over UDP on one socket, or on the four sockets of an RFC 5780 grid (so that a response can leave
/// from another address or port than the request reached). Each socket has dedicated receive threads running a
/// blocking receive → handle → send loop: one system call each way per packet, nothing allocated per packet.
/// </summary>
public sealed class UdpStunListener : IDisposable
{
    private readonly Socket[] _sockets;
    private readonly TransportAddress[] _locals;
    private readonly NatDiscoveryGrid? _grid;
    private readonly BindingRequestHandler _handler;
    private readonly IStunServerExtension? _extension;
    private readonly ILogger _logger;
    private readonly List<Thread> _threads = [];
    private volatile bool _stopping;

    /// <param name="sockets">Bound sockets: one, or four in <see cref="NatDiscoveryGrid.SocketIndex"/> order.</param>
    /// <param name="extension">Takes what is not a Binding request (TURN); null to drop it with a 400.</param>
    public UdpStunListener(Socket[] sockets, NatDiscoveryGrid? grid, BindingRequestHandler handler, ILogger logger,
        IStunServerExtension? extension = null)
    {
        if (sockets.Length != (grid.HasValue ? 4 : 1))
        {
            throw new ArgumentException("One socket, or four with a grid.", nameof(sockets));
        }

        _sockets = sockets;
        _grid = grid;
        _handler = handler;
        _extension = extension;
        _logger = logger;
        _locals = [.. sockets.Select(s => TransportAddress.FromIPEndPoint((System.Net.IPEndPoint)s.LocalEndPoint!))];
    }

    public IReadOnlyList<TransportAddress> LocalAddresses => _locals;

    public void Start(int threadsPerPrimarySocket)
    {
        for (int i = 0; i < _sockets.Length; i++)
        {
            // The primary socket takes nearly all traffic; the others only answer RFC 5780 tests.
            int threads = i == 0 ? Math.Max(1, threadsPerPrimarySocket) : 1;
            for (int t = 0; t < threads; t++)
            {
                int index = i;
                var thread = new Thread(() => ReceiveLoop(index))
                {
                    IsBackground = true,
                    Name = $"stun-udp-{_locals[i]}-{t}",
                };
                _threads.Add(thread);
                thread.Start();
            }
        }
    }

    private void ReceiveLoop(int socketIndex)
    {
        Socket socket = _sockets[socketIndex];
        byte[] request = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        byte[] response = GC.AllocateUninitializedArray<byte>(BindingRequestHandler.MaxResponseLength, pinned: true);
        var source = new SocketAddress(socket.AddressFamily);
        var destination = new SocketAddress(socket.AddressFamily);
        var context = new StunRequestContext(default, StunTransport.Udp, _locals[socketIndex], _grid, socketIndex);
        while (!_stopping)
        {
            TransportAddress from = default;
            try
            {
                int received = socket.ReceiveFrom(request, SocketFlags.None, source);
                if (!TransportAddress.TryFromSocketAddress(source, out from))
                {
                    continue;
                }

                if (_extension is not null && IStunServerExtension.Claims(request.AsSpan(0, received)))
                {
                    _extension.HandleDatagram(request.AsMemory(0, received), context with { Source = from }, socket, source);
                    continue;
                }

                int length = _handler.Handle(request.AsMemory(0, received), context with { Source = from }, response,
                    out StunResponseRoute route);
                if (length == 0)
                {
                    continue;
                }

                SocketAddress target = source;
                if (route.Destination != from)
                {
                    destination.Size = source.Size;
                    route.Destination.WriteTo(destination);
                    target = destination;
                }

                _sockets[route.SocketIndex].SendTo(response.AsSpan(0, length), SocketFlags.None, target);
            }
            catch (Exception) when (_stopping)
            {
                return; // the socket was closed under the blocking call
            }
            catch (SocketException e)
            {
                StunServerLog.SocketErrorIgnored(_logger, e.SocketErrorCode); // e.g. ICMP unreachable from an earlier send
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                StunServerLog.RequestFailed(_logger, e, from.ToString());
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }
    }
}
