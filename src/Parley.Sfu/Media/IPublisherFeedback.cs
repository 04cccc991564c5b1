namespace Parley.Sfu.Media;

/// <summary>Where a producer's RTCP to its publisher goes (its key-frame requests): the publisher's endpoint.</summary>
internal interface IPublisherFeedback
{
    /// <summary>The SSRC the server's RTCP to the publisher is sent from.</summary>
    uint RtcpSsrc { get; }

    void SendRtcp(ReadOnlySpan<byte> plain);
}
