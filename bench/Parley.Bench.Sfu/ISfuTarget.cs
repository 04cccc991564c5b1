using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// A server under test and how peers get on it: its signalling for a publisher (which sets the peer's remote
/// transport and gives the publication) and for a subscriber of a publication.
/// </summary>
internal interface ISfuTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The process whose CPU and memory are measured; set once started.</summary>
    ServerProcess Process { get; }

    /// <summary>Whether media is plain RTP with no ICE or DTLS (the raw relay).</summary>
    bool Raw { get; }

    /// <summary>The subscribers' ICE role: controlled when the server offers to them as a full agent.</summary>
    IceRole SubscriberRole { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task<Publication> PublishAsync(LoadPeer peer, int index, uint ssrc, CancellationToken cancellationToken);

    Task SubscribeAsync(LoadPeer peer, Publication publication, CancellationToken cancellationToken);

    /// <summary>Bytes the server has allocated so far (Parley's /metrics), or null where it cannot be read.</summary>
    Task<long?> AllocatedBytesAsync(CancellationToken cancellationToken);

    /// <summary>The raw relay's registration datagram; empty for the others.</summary>
    byte[] Registration(bool publisher, int publication);
}

/// <summary>A published stream: the publisher's index, the server's id for it and the payload type it accepted.</summary>
internal sealed record Publication(int Index, string Id, int PayloadType);
