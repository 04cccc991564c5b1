namespace Parley.Sfu.Media;

/// <summary>Where a consumer's packets go: its subscriber's endpoint, which rewrites, encrypts and sends them.</summary>
internal interface IMediaSink
{
    /// <summary>Sends a packet rewritten to the consumer's numbering; <paramref name="absSendTimeId"/>, when not 0,
    /// is the subscriber's id of the abs-send-time extension, stamped with the server's send time so the subscriber's
    /// bandwidth estimate (REMB) measures the path from the server.</summary>
    void SendRtp(ReadOnlySpan<byte> plain, uint ssrc, byte payloadType, ushort sequenceNumber, uint timestamp, byte absSendTimeId = 0);

    /// <summary>The bits per second a video consumer may send at <paramref name="now"/> (ms): its share of the
    /// subscriber's bandwidth estimate after audio; 0 when the estimate is unknown.</summary>
    long VideoBudget(long now);

    /// <summary>A video consumer moved from layer <paramref name="previous"/> to <paramref name="next"/> (-1: paused).</summary>
    void OnLayerChanged(Consumer consumer, int previous, int next);

    void SendRtcp(ReadOnlySpan<byte> plain);
}
