namespace Parley.Stun.Tests;

/// <summary>Writes an attribute into a whole message (with FINGERPRINT), parses the message and reads it back.</summary>
internal static class AttributeWire
{
    public static T RoundTrip<T>(T attribute, StunMessageType type) where T : struct, IStunAttribute<T>
    {
        byte[] buffer = new byte[1024];
        var builder = new StunMessageBuilder(buffer, type, TransactionId.NewRandom());
        builder.Add(attribute);
        builder.AddFingerprint();
        Assert.True(StunMessage.TryParse(buffer.AsMemory(0, builder.Length), out StunMessage message));
        Assert.True(message.CheckFingerprint());
        Assert.True(message.TryGet(out T read));
        return read;
    }
}
