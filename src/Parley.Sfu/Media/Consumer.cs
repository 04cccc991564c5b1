namespace Parley.Sfu.Media;

/// <summary>One outgoing track of a subscriber: a producer's packets under the consumer's SSRC and the payload type
/// the subscriber knows the codec by.</summary>
internal sealed class Consumer(ConsumerDescription description, SubscriberEndpoint owner, Producer producer)
{
    private readonly byte _payloadType = (byte)description.PayloadType;

    public ConsumerDescription Description { get; } = description;

    public SubscriberEndpoint Owner { get; } = owner;

    public Producer Producer { get; } = producer;

    public void Send(ReadOnlySpan<byte> plain) => Owner.SendRtp(plain, Description.Ssrc, _payloadType);
}
