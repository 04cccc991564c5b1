using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// A request of a <see cref="TurnSession"/> on its way to the server: the datagram (sent again as it is when
/// unanswered), its transaction id, which the response must carry, and what it is, for the failures ("Allocate").
/// </summary>
internal sealed record StunRequest(byte[] Datagram, string What)
{
    public TransactionId Id { get; } = TransactionId.Read(Datagram.AsSpan(8));
}
