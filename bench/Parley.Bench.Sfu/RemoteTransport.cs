using System.Net;

namespace Parley.Bench.Sfu;

/// <summary>What a peer needs from the server's SDP to connect: its ICE credentials, its DTLS fingerprint and the
/// candidate it sends media from (the first IPv4 UDP host candidate).</summary>
internal sealed record RemoteTransport(string Ufrag, string Password, string Fingerprint, IPEndPoint Candidate);
