using System.Globalization;
using System.Net;
using System.Text;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// The SDP the load peers write (a publisher's sendonly VP8 offer, a subscriber's recvonly offer or answer), always
/// <c>a=setup:active</c> so that the peer is the DTLS client, BUNDLE and rtcp-mux, one host candidate; and what they
/// read from the server's (ICE credentials, fingerprint, candidate, VP8 payload type, mids).
/// </summary>
internal static class PeerSdp
{
    public const int Vp8PayloadType = 96;

    /// <summary>A publisher's offer: one sendonly VP8 section with its SSRC.</summary>
    public static string PublisherOffer(LoadPeer peer, PeerCertificate certificate, uint ssrc) =>
        Description(peer, "0", [VideoSection(peer, certificate, "0", Vp8PayloadType, "sendonly", ssrc)]);

    /// <summary>A subscriber's offer (OpenVidu's client-offer flow): one recvonly VP8 section.</summary>
    public static string SubscriberOffer(LoadPeer peer, PeerCertificate certificate) =>
        Description(peer, "0", [VideoSection(peer, certificate, "0", Vp8PayloadType, "recvonly", null)]);

    /// <summary>
    /// A subscriber's answer to a server's offer (Janus's): the first video section accepted recvonly with the
    /// offer's VP8 payload type and mid, every other section rejected (port 0).
    /// </summary>
    public static string SubscriberAnswer(LoadPeer peer, PeerCertificate certificate, string offer)
    {
        var sections = new List<string>();
        string? accepted = null;
        foreach (string section in Sections(offer))
        {
            string mid = Attribute(section, "mid") ?? sections.Count.ToString(CultureInfo.InvariantCulture);
            string mLine = section[..section.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
            int? vp8 = accepted is null && mLine.StartsWith("m=video ", StringComparison.Ordinal) && !mLine.StartsWith("m=video 0 ", StringComparison.Ordinal)
                ? PayloadType(section, "VP8") : null;
            if (vp8 is { } pt)
            {
                accepted = mid;
                sections.Add(VideoSection(peer, certificate, mid, pt, "recvonly", null));
            }
            else
            {
                string[] words = mLine.Split(' ');
                sections.Add($"{words[0]} 0 {words[2]} {(words.Length > 3 ? words[3] : "0")}\r\nc=IN IP4 0.0.0.0\r\na=mid:{mid}\r\na=inactive\r\n");
            }
        }

        if (accepted is null)
        {
            throw new BenchmarkException("the server's offer has no VP8 video section");
        }

        return Description(peer, accepted, sections);
    }

    /// <summary>The transport of the server's SDP: credentials, fingerprint and the first IPv4 UDP candidate.</summary>
    public static RemoteTransport ReadTransport(string sdp, string what)
    {
        string? ufrag = Attribute(sdp, "ice-ufrag"), password = Attribute(sdp, "ice-pwd"), fingerprint = Attribute(sdp, "fingerprint");
        IPEndPoint? candidate = null;
        foreach (string line in Lines(sdp))
        {
            if (candidate is null && line.StartsWith("a=candidate:", StringComparison.Ordinal))
            {
                string[] words = line.Split(' ');
                if (words.Length >= 8 && words[2].Equals("udp", StringComparison.OrdinalIgnoreCase)
                    && IPAddress.TryParse(words[4], out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                    && int.TryParse(words[5], CultureInfo.InvariantCulture, out int port))
                {
                    candidate = new IPEndPoint(address, port);
                }
            }
        }

        if (ufrag is null || password is null || fingerprint is null || candidate is null)
        {
            throw new BenchmarkException($"{what}: the server's SDP lacks ice-ufrag, ice-pwd, fingerprint or an IPv4 UDP candidate:{Environment.NewLine}{sdp}");
        }

        return new RemoteTransport(ufrag, password, fingerprint, candidate);
    }

    /// <summary>The payload type of a codec in a section (a=rtpmap:PT NAME/…), or null.</summary>
    public static int? PayloadType(string section, string codec)
    {
        foreach (string line in Lines(section))
        {
            if (line.StartsWith("a=rtpmap:", StringComparison.Ordinal))
            {
                string[] words = line["a=rtpmap:".Length..].Split(' ', 2);
                if (words.Length == 2 && words[1].StartsWith(codec + "/", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(words[0], CultureInfo.InvariantCulture, out int pt))
                {
                    return pt;
                }
            }
        }

        return null;
    }

    private static string Description(LoadPeer peer, string bundled, IEnumerable<string> sections)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"v=0\r\no=- {1000 + peer.Index} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"a=group:BUNDLE {bundled}\r\na=msid-semantic: WMS bench\r\n");
        foreach (string section in sections)
        {
            text.Append(section);
        }

        return text.ToString();
    }

    private static string VideoSection(LoadPeer peer, PeerCertificate certificate, string mid, int payloadType, string direction, uint? ssrc)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"m=video 9 UDP/TLS/RTP/SAVPF {payloadType}\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{peer.Ufrag}\r\na=ice-pwd:{peer.Password}\r\n");
        text.Append(CultureInfo.InvariantCulture, $"a=fingerprint:{certificate.Fingerprint}\r\na=setup:active\r\na=mid:{mid}\r\na={direction}\r\na=rtcp-mux\r\n");
        text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{payloadType} VP8/90000\r\na=rtcp-fb:{payloadType} nack\r\na=rtcp-fb:{payloadType} nack pli\r\na=rtcp-fb:{payloadType} ccm fir\r\n");
        if (ssrc is { } s)
        {
            text.Append(CultureInfo.InvariantCulture, $"a=msid:bench{peer.Index} video{peer.Index}\r\na=ssrc:{s} cname:bench{peer.Index}\r\na=ssrc:{s} msid:bench{peer.Index} video{peer.Index}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"a={peer.Candidate}\r\na=end-of-candidates\r\n");
        return text.ToString();
    }

    private static IEnumerable<string> Sections(string sdp)
    {
        string normalized = sdp.Replace("\r\n", "\n", StringComparison.Ordinal);
        string[] parts = normalized.Split("\nm=");
        for (int i = 1; i < parts.Length; i++)
        {
            yield return "m=" + parts[i].TrimEnd('\n') + "\n";
        }
    }

    private static IEnumerable<string> Lines(string sdp) =>
        sdp.Split('\n').Select(l => l.TrimEnd('\r'));

    private static string? Attribute(string sdp, string name) =>
        Lines(sdp).FirstOrDefault(l => l.StartsWith("a=" + name + ":", StringComparison.Ordinal))?[(name.Length + 3)..].Trim();
}
