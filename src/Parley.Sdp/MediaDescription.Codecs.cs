namespace Parley.Sdp;

/// <summary>The codec view of an RTP media section, and the mutators an answer or offer needs.</summary>
public sealed partial class MediaDescription
{
    private static readonly string[] CodecAttributeNames = [Rtpmap.AttributeName, Fmtp.AttributeName, RtcpFeedback.AttributeName];
    private static readonly string[] SourceAttributeNames = [SsrcGroup.AttributeName, "ssrc", Rid.AttributeName, Simulcast.AttributeName];

    /// <summary>
    /// The codecs in the m= line's order (the preference order). An RTX payload type tied by <c>apt</c> to a codec of
    /// this section is folded into that codec rather than listed; a static payload type without an rtpmap takes its
    /// RFC 3551 mapping; a format with no mapping at all is left out.
    /// </summary>
    public IReadOnlyList<Codec> Codecs
    {
        get
        {
            Dictionary<int, Rtpmap> rtpmaps = [];
            foreach (Rtpmap map in Rtpmaps)
            {
                rtpmaps.TryAdd(map.PayloadType, map);
            }

            Dictionary<int, Fmtp> fmtps = [];
            foreach (Fmtp fmtp in Fmtps)
            {
                fmtps.TryAdd(fmtp.PayloadType, fmtp);
            }

            List<int> payloadTypes = PayloadTypes();
            Dictionary<int, int> rtxOf = FindRtx(payloadTypes, rtpmaps, fmtps);
            HashSet<int> repairs = [.. rtxOf.Values];
            IReadOnlyList<RtcpFeedback> feedback = RtcpFeedbacks;
            var codecs = new List<Codec>();
            foreach (int pt in payloadTypes)
            {
                if (repairs.Contains(pt) || (rtpmaps.GetValueOrDefault(pt) ?? StaticPayloadTypes.Find(pt)) is not Rtpmap map)
                {
                    continue;
                }

                codecs.Add(new Codec(pt, map.EncodingName, map.ClockRate, map.Channels)
                {
                    Parameters = fmtps.TryGetValue(pt, out Fmtp? fmtp) ? fmtp.Parameters : [],
                    Feedback = [.. feedback.Where(f => f.PayloadType is null || f.PayloadType == pt)],
                    RtxPayloadType = rtxOf.TryGetValue(pt, out int rtx) ? rtx : null,
                });
            }

            return codecs;
        }
    }

    /// <summary>The first codec that matches, in preference order.</summary>
    public Codec? FindCodec(Func<Codec, bool> match) => Codecs.FirstOrDefault(match);

    /// <summary>
    /// Adds a codec at the end of the preference order: its payload type (and RTX payload type) on the m= line, and its
    /// rtpmap, rtcp-fb and fmtp lines (wildcard feedback written for its payload type) after the other codec lines.
    /// </summary>
    /// <exception cref="InvalidOperationException">A payload type is already on the m= line.</exception>
    public void AddCodec(Codec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        string pt = SdpGrammar.Format(codec.PayloadType);
        string? rtx = codec.RtxPayloadType is int r ? SdpGrammar.Format(r) : null;
        if (_formats.Contains(pt) || (rtx is not null && (_formats.Contains(rtx) || rtx == pt)))
        {
            throw new InvalidOperationException($"Payload type {pt} or {rtx} is already in use in this media section.");
        }

        var lines = new List<SdpLine> { CodecLine(codec.ToRtpmap()) };
        lines.AddRange(codec.Feedback.Select(f => CodecLine(f.ForPayloadType(codec.PayloadType))));
        if (codec.Parameters.Count > 0)
        {
            lines.Add(CodecLine(new Fmtp(codec.PayloadType, codec.Parameters)));
        }

        _formats.Add(pt);
        if (codec.RtxPayloadType is int rtxPayloadType)
        {
            _formats.Add(rtx!);
            lines.Add(CodecLine(new Rtpmap(rtxPayloadType, CodecName.Rtx, codec.ClockRate)));
            lines.Add(CodecLine(new Fmtp(rtxPayloadType, [new FmtpParameter(CodecName.AptParameter, pt)])));
        }

        int at = CodecInsertIndex();
        foreach (SdpLine line in lines)
        {
            InsertLine(at++, line);
        }
    }

    /// <summary>Removes a codec: its payload type and its RTX payload types from the m= line, and their rtpmap, fmtp and
    /// rtcp-fb lines. Returns false if the payload type was not on the m= line.</summary>
    public bool RemoveCodec(int payloadType)
    {
        HashSet<int> removed = [payloadType];
        foreach (Codec codec in Codecs.Where(c => c.PayloadType == payloadType && c.RtxPayloadType is not null))
        {
            removed.Add(codec.RtxPayloadType!.Value);
        }

        bool found = _formats.Remove(SdpGrammar.Format(payloadType));
        foreach (int pt in removed)
        {
            _formats.Remove(SdpGrammar.Format(pt));
        }

        RemoveLines(l => CodecPayloadType(l) is int pt && removed.Contains(pt));
        return found;
    }

    /// <summary>Removes every codec that does not match; returns how many were removed.</summary>
    public int RetainCodecs(Func<Codec, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        int removed = 0;
        foreach (Codec codec in Codecs.Where(c => !keep(c)))
        {
            removed += RemoveCodec(codec.PayloadType) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>Each codec's RTX payload type: an rtx rtpmap whose <c>apt</c> names another, non-RTX, format.</summary>
    private static Dictionary<int, int> FindRtx(List<int> payloadTypes, Dictionary<int, Rtpmap> rtpmaps, Dictionary<int, Fmtp> fmtps)
    {
        Dictionary<int, int> rtxOf = [];
        foreach (int pt in payloadTypes)
        {
            if (rtpmaps.TryGetValue(pt, out Rtpmap? map) && string.Equals(map.EncodingName, CodecName.Rtx, StringComparison.OrdinalIgnoreCase)
                && fmtps.TryGetValue(pt, out Fmtp? fmtp) && fmtp.TryGetParameter(CodecName.AptParameter, out string? apt)
                && SdpGrammar.TryParsePayloadType(apt, out int associated) && associated != pt && payloadTypes.Contains(associated)
                && !(rtpmaps.TryGetValue(associated, out Rtpmap? primary)
                    && string.Equals(primary.EncodingName, CodecName.Rtx, StringComparison.OrdinalIgnoreCase)))
            {
                rtxOf.TryAdd(associated, pt);
            }
        }

        return rtxOf;
    }

    private static SdpLine CodecLine<T>(T attribute)
        where T : class, ISdpAttribute<T> => new('a', $"{T.AttributeName}:{attribute.FormatValue()}");

    /// <summary>The payload type an rtpmap, fmtp or rtcp-fb line is about; null for other lines and for <c>*</c>.</summary>
    private static int? CodecPayloadType(SdpLine line)
    {
        if (line.AttributeName is not string name || !CodecAttributeNames.Contains(name))
        {
            return null;
        }

        string value = SdpAttribute.ValueOf(line.Value, name) ?? "";
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return SdpGrammar.TryParsePayloadType(space < 0 ? value : value.AsSpan(0, space), out int pt) ? pt : null;
    }

    /// <summary>The distinct numeric formats of the m= line, in order.</summary>
    private List<int> PayloadTypes()
    {
        var payloadTypes = new List<int>(_formats.Count);
        foreach (string format in _formats)
        {
            if (SdpGrammar.TryParsePayloadType(format, out int pt) && !payloadTypes.Contains(pt))
            {
                payloadTypes.Add(pt);
            }
        }

        return IsRtp ? payloadTypes : [];
    }

    /// <summary>After the last codec line; else before the source lines (ssrc, rid, simulcast); else at the end.</summary>
    private int CodecInsertIndex()
    {
        int last = LastIndexOfLine(l => l.AttributeName is string name && CodecAttributeNames.Contains(name));
        if (last >= 0)
        {
            return last + 1;
        }

        int sources = IndexOfLine(l => l.AttributeName is string name && SourceAttributeNames.Contains(name));
        return sources >= 0 ? sources : Lines.Count;
    }
}
