namespace Parley.Rtp.Tests;

public sealed class ExtensionValueTests
{
    [Theory]
    [InlineData("00 00 00", 0u, 0.0)]
    [InlineData("04 00 00", 0x040000u, 1.0)] // 6.18 fixed point: 1 s
    [InlineData("02 00 00", 0x020000u, 0.5)]
    [InlineData("ff ff ff", 0xFFFFFFu, 63.999996185302734)]
    public void Abs_send_time_is_six_point_eighteen_fixed_point_seconds(string hex, uint value, double seconds)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.True(AbsoluteSendTime.TryRead(bytes, out AbsoluteSendTime time));
        Assert.Equal(value, time.Value);
        Assert.Equal(seconds, time.ToTimeSpan().TotalSeconds, 6);
        Assert.Equal(bytes, Wire.Encode(time));
    }

    [Fact]
    public void Abs_send_time_comes_from_an_ntp_timestamp_or_a_clock_modulo_64_seconds()
    {
        // NTP 32.32: 65.5 s is 1.5 s past a 64-second boundary.
        ulong ntp = (65UL << 32) | 0x8000_0000UL;
        Assert.Equal(new AbsoluteSendTime(0x060000), AbsoluteSendTime.FromNtpTimestamp(ntp));
        Assert.Equal(new AbsoluteSendTime(0x060000), AbsoluteSendTime.FromTime(TimeSpan.FromSeconds(65.5)));
        Assert.Equal(new AbsoluteSendTime(0), AbsoluteSendTime.FromTime(TimeSpan.FromSeconds(128)));
        Assert.False(new AbsoluteSendTime(0x1000000).TryWrite(new byte[3], out _));
        Assert.False(AbsoluteSendTime.TryRead([1, 2], out _));
        Assert.False(AbsoluteSendTime.TryRead([1, 2, 3, 4], out _));
    }

    [Theory]
    [InlineData("00 00", 0)]
    [InlineData("01 02", 258)]
    [InlineData("ff ff", 65535)]
    public void The_transport_wide_sequence_number_is_16_bits_big_endian(string hex, int value)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.True(TransportSequenceNumber.TryRead(bytes, out TransportSequenceNumber number));
        Assert.Equal(value, number.Value);
        Assert.Equal(bytes, Wire.Encode(number));
        Assert.False(TransportSequenceNumber.TryRead(bytes.AsSpan(0, 1), out _));
    }

    [Theory]
    [InlineData("80", true, 0)] // voice, loudest
    [InlineData("7f", false, 127)] // silence
    [InlineData("aa", true, 42)]
    [InlineData("2a", false, 42)]
    public void Audio_level_is_the_v_bit_and_seven_bits_of_minus_dbov(string hex, bool voice, int level)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.True(AudioLevel.TryRead(bytes, out AudioLevel audio));
        Assert.Equal(new AudioLevel(voice, (byte)level), audio);
        Assert.Equal(bytes, Wire.Encode(audio));
        Assert.False(AudioLevel.TryRead([], out _));
        Assert.False(AudioLevel.TryRead([1, 2], out _));
    }

    [Theory]
    [InlineData("30", "0")]
    [InlineData("61 75 64 69 6f", "audio")]
    [InlineData("76 69 64 65 6f 00 00", "video")] // NUL padding inside the value is dropped
    public void Mid_is_an_identification_tag(string hex, string expected)
    {
        Assert.True(SdesMid.TryRead(Hex.Parse(hex), out SdesMid mid));
        Assert.Equal(expected, mid.Value);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(expected), Wire.Encode(mid));
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("20 61")] // a space is not a token character
    [InlineData("c3 a9")] // nor is anything outside ASCII
    public void Invalid_mids_are_refused(string hex) => Assert.False(SdesMid.TryRead(Hex.Parse(hex), out _));

    [Theory]
    [InlineData("68", "h")]
    [InlineData("6c 6f 2d 31 5f 61", "lo-1_a")]
    public void Rids_are_letters_digits_dashes_and_underscores(string hex, string expected)
    {
        byte[] bytes = Hex.Parse(hex);
        Assert.True(RtpStreamId.TryRead(bytes, out RtpStreamId rid));
        Assert.Equal(expected, rid.Value);
        Assert.Equal(bytes, Wire.Encode(rid));
        Assert.True(RepairedRtpStreamId.TryRead(bytes, out RepairedRtpStreamId repaired));
        Assert.Equal(expected, repaired.Value);
        Assert.Equal(bytes, Wire.Encode(repaired));
    }

    [Theory]
    [InlineData("")]
    [InlineData("61 2e 62")] // '.'
    [InlineData("61 21")] // '!'
    public void Invalid_rids_are_refused(string hex)
    {
        Assert.False(RtpStreamId.TryRead(Hex.Parse(hex), out _));
        Assert.False(RepairedRtpStreamId.TryRead(Hex.Parse(hex), out _));
    }

    [Fact]
    public void Text_values_longer_than_255_bytes_are_not_written()
    {
        Assert.False(new RtpStreamId(new string('a', 256)).TryWrite(new byte[300], out _));
        Assert.True(new RtpStreamId(new string('a', 255)).TryWrite(new byte[300], out int written));
        Assert.Equal(255, written);
        Assert.False(default(SdesMid).TryWrite(new byte[8], out _));
    }

    [Fact]
    public void Uris_are_those_browsers_put_in_extmap()
    {
        Assert.Equal("urn:ietf:params:rtp-hdrext:sdes:mid", SdesMid.Uri);
        Assert.Equal("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", RtpStreamId.Uri);
        Assert.Equal("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", RepairedRtpStreamId.Uri);
        Assert.Equal("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", AbsoluteSendTime.Uri);
        Assert.Equal("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", TransportSequenceNumber.Uri);
        Assert.Equal("urn:ietf:params:rtp-hdrext:ssrc-audio-level", AudioLevel.Uri);
    }
}
