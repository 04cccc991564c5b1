using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Parley.WebRtc;

namespace Parley.Sfu;

/// <summary>The media server: one router per room, all on the one media port of <see cref="WebRtcServer"/>.</summary>
public sealed class SfuServer(WebRtcServer server, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<string, Router> _routers = new(StringComparer.Ordinal);
    private readonly ILogger _log = loggers.CreateLogger<Router>();
    private readonly Lock _closedGate = new();
    private SfuTotals _closed = SfuTotals.Zero;
    private SfuTotals _reported = SfuTotals.Zero;

    public WebRtcServer Transport => server;

    /// <summary>An endpoint of any router lost its peer (see <see cref="Router.EndpointLost"/>): router id, endpoint id.</summary>
    public event Action<string, string>? EndpointLost;

    public Router GetOrCreateRouter(string id) => _routers.GetOrAdd(id, key =>
    {
        var router = new Router(key, server, time, _log, OnEndpointClosed);
        router.EndpointLost += endpoint => EndpointLost?.Invoke(key, endpoint);
        return router;
    });

    public Router? FindRouter(string id) => _routers.GetValueOrDefault(id);

    public void CloseRouter(string id)
    {
        if (_routers.TryRemove(id, out Router? router))
        {
            router.Dispose();
        }
    }

    public int RouterCount => _routers.Count;

    /// <summary>The traffic of every endpoint since the server started, closed ones included.</summary>
    public SfuTotals Totals
    {
        get
        {
            SfuTotals totals;
            lock (_closedGate)
            {
                totals = _closed;
            }

            foreach (Router router in _routers.Values)
            {
                foreach (EndpointStatistics endpoint in router.GetStatistics())
                {
                    totals += SfuTotals.Of(endpoint);
                }
            }

            // An endpoint closing while this ran may be missed once; counters never go back.
            lock (_closedGate)
            {
                _reported = SfuTotals.Max(_reported, totals);
                return _reported;
            }
        }
    }

    private void OnEndpointClosed(EndpointStatistics endpoint)
    {
        lock (_closedGate)
        {
            _closed += SfuTotals.Of(endpoint);
        }
    }

    public void Dispose()
    {
        foreach (string id in _routers.Keys)
        {
            CloseRouter(id);
        }
    }
}
