namespace Parley.Sfu.Media;

/// <summary>Where a consumer's packets go: its subscriber's endpoint, which rewrites, encrypts and sends them.</summary>
internal interface IMediaSink
{
    void SendRtp(ReadOnlySpan<byte> plain, uint ssrc, byte payloadType, ushort sequenceNumber, uint timestamp);

    void SendRtcp(ReadOnlySpan<byte> plain);
}
