using Parley.Stun;

namespace Parley.Turn;

/// <summary>Who an authenticated request came from: the username, its long-term key and the password algorithm that
/// made it, and which integrity attribute the request carried (responses are signed the same way).</summary>
internal sealed record TurnCredential(string Username, byte[] Key, StunPasswordAlgorithm Algorithm, bool Sha256Integrity);
