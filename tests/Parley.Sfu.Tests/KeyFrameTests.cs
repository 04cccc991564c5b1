using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>Key-frame detection on payloads built field by field from the payload format RFCs.</summary>
public sealed class KeyFrameTests
{
    [Theory]
    // VP8 (RFC 7741 §4.2): descriptor S=1 PID=0, then the payload header with P (bit 0) = 0 for a key frame.
    [InlineData("VP8", new byte[] { 0x10, 0x00, 0x00, 0x00 }, true)]
    [InlineData("VP8", new byte[] { 0x10, 0x01, 0x00, 0x00 }, false)]                    // P = 1: inter frame
    [InlineData("VP8", new byte[] { 0x00, 0x00, 0x00, 0x00 }, false)]                    // not the start of a partition
    [InlineData("VP8", new byte[] { 0x11, 0x00, 0x00, 0x00 }, false)]                    // partition 1
    [InlineData("VP8", new byte[] { 0x90, 0x80, 0x81, 0x23, 0x00 }, true)]               // X, I with a 15-bit picture id
    [InlineData("VP8", new byte[] { 0x90, 0xE0, 0x05, 0x07, 0x40, 0x01 }, false)]        // I (7-bit), L, T: then P = 1
    [InlineData("VP8", new byte[] { 0x90, 0xE0, 0x05, 0x07, 0x40, 0x00 }, true)]
    // H.264 (RFC 6184): IDR (5) or SPS (7); STAP-A (24) holding an SPS; FU-A (28) start of an IDR.
    [InlineData("H264", new byte[] { 0x65, 0x88 }, true)]
    [InlineData("H264", new byte[] { 0x67, 0x42 }, true)]
    [InlineData("H264", new byte[] { 0x41, 0x9A }, false)]
    [InlineData("H264", new byte[] { 0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xCE }, true)]
    [InlineData("H264", new byte[] { 0x78, 0x00, 0x02, 0x41, 0x9A }, false)]
    [InlineData("H264", new byte[] { 0x78, 0x00, 0x09, 0x67 }, false)]                   // STAP-A size past the end
    [InlineData("H264", new byte[] { 0x7C, 0x85, 0x88 }, true)]                          // FU-A, S=1, type 5
    [InlineData("H264", new byte[] { 0x7C, 0x05, 0x88 }, false)]                         // FU-A continuation
    // VP9 (RFC 9628 §4.2): P = 0 and B = 1.
    [InlineData("VP9", new byte[] { 0x08 }, true)]
    [InlineData("VP9", new byte[] { 0x48 }, false)]
    [InlineData("VP9", new byte[] { 0x00 }, false)]
    [InlineData("opus", new byte[] { 0xFC }, true)]
    [InlineData("VP8", new byte[0], false)]
    public void Key_frames_are_recognised_per_codec(string codec, byte[] payload, bool expected) =>
        Assert.Equal(expected, KeyFrame.Starts(codec, payload));

    [Fact]
    public void Random_payloads_never_throw()
    {
        var random = new Random(3);
        foreach (string codec in (string[])["VP8", "H264", "VP9"])
        {
            for (int i = 0; i < 20_000; i++)
            {
                byte[] payload = new byte[random.Next(0, 12)];
                random.NextBytes(payload);
                KeyFrame.Starts(codec, payload);
            }
        }
    }
}
