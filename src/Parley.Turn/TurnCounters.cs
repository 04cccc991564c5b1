namespace Parley.Turn;

/// <summary>What the TURN server has done since it started, for the metrics endpoint. Read with the properties;
/// the server updates them atomically.</summary>
public sealed class TurnCounters
{
    internal long AllocationsCreatedField;
    internal long AllocationsDeletedField;
    internal long PermissionsCreatedField;
    internal long ChannelsBoundField;
    internal long AuthFailuresField;
    internal long PacketsFromClientsField;
    internal long BytesFromClientsField;
    internal long PacketsToClientsField;
    internal long BytesToClientsField;
    internal long PacketsDroppedField;

    public long AllocationsCreated => Interlocked.Read(ref AllocationsCreatedField);

    public long AllocationsDeleted => Interlocked.Read(ref AllocationsDeletedField);

    public long PermissionsCreated => Interlocked.Read(ref PermissionsCreatedField);

    public long ChannelsBound => Interlocked.Read(ref ChannelsBoundField);

    /// <summary>Requests refused for their credentials (401, 438), rate-limited ones included.</summary>
    public long AuthFailures => Interlocked.Read(ref AuthFailuresField);

    /// <summary>Datagrams relayed from clients to peers, and their payload bytes.</summary>
    public long PacketsRelayedOut => Interlocked.Read(ref PacketsFromClientsField);

    public long BytesRelayedOut => Interlocked.Read(ref BytesFromClientsField);

    /// <summary>Datagrams relayed from peers to clients, and their payload bytes.</summary>
    public long PacketsRelayedIn => Interlocked.Read(ref PacketsToClientsField);

    public long BytesRelayedIn => Interlocked.Read(ref BytesToClientsField);

    /// <summary>Datagrams not relayed: no permission or channel, a refused peer, over the bandwidth cap.</summary>
    public long PacketsDropped => Interlocked.Read(ref PacketsDroppedField);
}
