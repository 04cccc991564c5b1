using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Negotiation;

/// <summary>The transport lines every media section of the server's SDP carries: ICE-lite credentials, the
/// certificate fingerprint, the DTLS role and the host candidates of the shared port, UDP and (when on) passive
/// ICE-TCP (no trickling needed).</summary>
public static class TransportSdp
{
    internal static void Apply(MediaDescription media, WebRtcTransport transport, WebRtcServer server, DtlsSetup setup)
    {
        media.IceUfrag = transport.LocalCredentials.Ufrag;
        media.IcePwd = transport.LocalCredentials.Password;
        media.Add(new Fingerprint(server.Certificate.Fingerprint.Algorithm, server.Certificate.Fingerprint.Value));
        media.Setup = setup;
        if (IceCandidate.TryParse(server.HostCandidate, out IceCandidate? candidate))
        {
            media.AddCandidate(candidate!);
        }

        if (server.TcpHostCandidate is { } tcp && IceCandidate.TryParse(tcp, out IceCandidate? tcpCandidate))
        {
            media.AddCandidate(tcpCandidate!);
        }

        media.EndOfCandidates = true;
    }

    /// <summary>A new description from the server: ICE-lite, BUNDLE over <paramref name="mids"/>.</summary>
    public static SessionDescription NewDescription(ulong sessionId, IEnumerable<string> mids)
    {
        var description = new SessionDescription(new Origin("-", sessionId, 2, unicastAddress: "127.0.0.1"))
        {
            IceLite = true,
        };
        description.SetBundle(mids);
        description.MsidSemantic = new MsidSemantic("WMS", ["*"]);
        return description;
    }

    /// <summary>The fingerprint and ICE fragment of the peer's description (media level first, then session level).</summary>
    public static (WebRtc.Dtls.CertificateFingerprint Fingerprint, string? Ufrag) RemoteTransport(SessionDescription remote)
    {
        MediaDescription? first = remote.Media.FirstOrDefault(m => !m.IsRejected);
        Fingerprint fingerprint = first?.Fingerprints.FirstOrDefault() ?? remote.Fingerprints.FirstOrDefault()
            ?? throw new NegotiationException("The description has no a=fingerprint: DTLS-SRTP cannot be authenticated");
        if (!WebRtc.Dtls.CertificateFingerprint.TryParse(fingerprint.FormatValue(), out WebRtc.Dtls.CertificateFingerprint? parsed))
        {
            throw new NegotiationException($"Unsupported fingerprint hash function {fingerprint.HashFunction}");
        }

        return (parsed!, first?.IceUfrag ?? remote.IceUfrag);
    }
}
