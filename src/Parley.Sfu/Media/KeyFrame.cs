using Parley.Sdp;

namespace Parley.Sfu.Media;

/// <summary>
/// Whether an RTP payload starts a key frame, per codec, so a consumer switches simulcast layers only where the
/// subscriber's decoder can start: VP8 (RFC 7741 §4.2-4.3), H.264 (RFC 6184 §5: IDR or SPS, also inside STAP-A and
/// at the start of FU-A), VP9 (RFC 9628 §4.2: not inter-predicted, start of a frame). Audio frames always decode.
/// </summary>
internal static class KeyFrame
{
    public static bool Starts(string codec, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        if (codec.Equals(CodecName.Vp8, StringComparison.OrdinalIgnoreCase))
        {
            return Vp8(payload);
        }

        if (codec.Equals(CodecName.H264, StringComparison.OrdinalIgnoreCase))
        {
            return H264(payload);
        }

        if (codec.Equals(CodecName.Vp9, StringComparison.OrdinalIgnoreCase))
        {
            return (payload[0] & 0x40) == 0 && (payload[0] & 0x08) != 0; // P = 0, B = 1
        }

        return true;
    }

    private static bool Vp8(ReadOnlySpan<byte> payload)
    {
        byte first = payload[0];
        bool start = (first & 0x10) != 0, partitionZero = (first & 0x07) == 0;
        int index = 1;
        if ((first & 0x80) != 0)
        {
            if (payload.Length <= index)
            {
                return false;
            }

            byte extension = payload[index++];
            if ((extension & 0x80) != 0)
            {
                index += payload.Length > index && (payload[index] & 0x80) != 0 ? 2 : 1; // picture id, 7 or 15 bits
            }

            if ((extension & 0x40) != 0)
            {
                index++; // TL0PICIDX
            }

            if ((extension & 0x30) != 0)
            {
                index++; // TID/Y/KEYIDX
            }
        }

        return start && partitionZero && payload.Length > index && (payload[index] & 0x01) == 0;
    }

    private static bool H264(ReadOnlySpan<byte> payload)
    {
        int type = payload[0] & 0x1F;
        switch (type)
        {
            case 5 or 7:
                return true;
            case 24: // STAP-A: 16-bit sizes, each followed by a NAL unit
                for (int offset = 1; offset + 2 < payload.Length;)
                {
                    int size = (payload[offset] << 8) | payload[offset + 1];
                    if (size == 0 || offset + 2 + size > payload.Length)
                    {
                        return false;
                    }

                    if ((payload[offset + 2] & 0x1F) is 5 or 7)
                    {
                        return true;
                    }

                    offset += 2 + size;
                }

                return false;
            case 28: // FU-A: the start fragment of an IDR
                return payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5;
            default:
                return false;
        }
    }
}
