namespace Parley.Bench.Sfu;

/// <summary>The peer's ICE role (RFC 8445 §6.1.1): controlling when it offered to a full agent or talks to a lite
/// one (it nominates with USE-CANDIDATE), controlled when a full agent offered to it.</summary>
internal enum IceRole
{
    Controlling,
    Controlled,
}
