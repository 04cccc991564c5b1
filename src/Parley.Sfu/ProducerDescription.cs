using Parley.Sdp;

namespace Parley.Sfu;

/// <summary>
/// One track a publisher sends, as negotiated: its m-section (<see cref="Mid"/>), the codec the answer accepted
/// (with the publisher's payload type), the SSRCs its offer declared (null when it declared none, as with
/// simulcast, which are then learned from the packets' mid/rid header extensions), the simulcast layers' rids from
/// lowest to highest quality (empty without simulcast), and the header extensions both sides agreed on.
/// </summary>
public sealed record ProducerDescription(
    string Mid,
    MediaKind Kind,
    Codec Codec,
    uint? Ssrc,
    uint? RtxSsrc,
    string Cname,
    string StreamLabel,
    string TrackLabel,
    IReadOnlyList<Extmap> Extensions,
    IReadOnlyList<string>? Rids = null)
{
    /// <summary>The simulcast layers' rids, lowest quality first (openvidu-browser sends rdiv4, rdiv2, rdiv1);
    /// empty for a single encoding.</summary>
    public IReadOnlyList<string> Layers => Rids ?? [];

    /// <summary>The id of the negotiated header extension with <paramref name="uri"/>, or 0 when there is none.</summary>
    public byte ExtensionId(string uri) => (byte)(Extensions.FirstOrDefault(e => e.Uri == uri)?.Id ?? 0);
}
