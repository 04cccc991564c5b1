using System.Text;

namespace Parley.Sdp.Tests;

/// <summary>
/// Mutated golden descriptions, 20,000 per run from fixed seeds (a failure names a reproducible case): the parser never
/// throws, a refusal always has a reason, and what parses is written back with only its line ends normalised and parses
/// again to the same lines. One in five is also compared through every typed reader (the same model), and another one in
/// five stays parseable after the answer-building mutators have run on it.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 5_000;

    private static readonly string[] Seeds = [.. GoldenData.Chrome.Concat(GoldenData.ByHand).Select(GoldenData.Read)];

    private static readonly string[] Pieces =
    [
        " ", ":", ";", "/", "=", ",", "~", "*", "-", "\r", "\n", "\r\n", "\0", "\t", "é", "0", "9", "a", "Z", "  ",
        "65535", "65536", "127", "128", "255", "256", "4351", "4294967295", "4294967296", "-1", "99999999999999999999",
        "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n", "a=rtpmap:", "a=fmtp:96 apt=",
        "a=rtcp-fb:* ", "a=candidate:", " typ ", " raddr ", "a=simulcast:send ", "a=rid:", "a=extmap:", "a=group:BUNDLE ",
        "a=ssrc:", "a=fingerprint:sha-256 ", "AB:CD", "a=setup:", "a=sendonly\r\n", "a=end-of-candidates\r\n", "v=0\r\n", "t=0 0\r\n",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_descriptions_never_throw_and_what_parses_round_trips_to_the_same_model(int seed)
    {
        var random = new Random(seed);
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            string input = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            try
            {
                if (Check(input, compareTyped: i % 5 == 0, mutate: i % 5 == 2))
                {
                    parsed++;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} iteration {i} threw {e}\n{input}");
            }
        }

        // Mutations must get past the structural checks often enough to exercise the attributes and the writer.
        Assert.InRange(parsed, Iterations / 5, Iterations * 9 / 10);
    }

    private static bool Check(string input, bool compareTyped, bool mutate)
    {
        if (!SessionDescription.TryParse(input, out SessionDescription? description, out string? error))
        {
            Assert.Null(description);
            Assert.False(string.IsNullOrEmpty(error));
            return false;
        }

        string written = description.ToString();
        Assert.Equal(WithCrlf(input), written);
        Assert.True(SessionDescription.TryParse(written, out SessionDescription? again, out error), error);
        Assert.Equal(written, again.ToString());
        Assert.Equal(description.Lines, again.Lines);
        Assert.Equal(description.Media.Select(m => m.FormatMediaLine()), again.Media.Select(m => m.FormatMediaLine()));
        if (compareTyped)
        {
            Assert.Equal(SdpModel.Read(description), SdpModel.Read(again));
        }

        if (mutate)
        {
            ApplyAnswerMutators(again);
            Assert.True(SessionDescription.TryParse(again.ToString(), out _, out error), error);
        }

        return true;
    }

    /// <summary>What building an answer does to a section: drop a codec, flip the direction, set ICE and DTLS, add a
    /// candidate, end candidates.</summary>
    private static void ApplyAnswerMutators(SessionDescription description)
    {
        foreach (MediaDescription media in description.Media)
        {
            if (media.Codecs.Count > 1)
            {
                media.RemoveCodec(media.Codecs[0].PayloadType);
            }

            media.Direction = (media.Direction ?? MediaDirection.SendRecv).Reverse();
            media.IceUfrag = "sfu1";
            media.IcePwd = "0123456789abcdefghijkl";
            media.Setup = DtlsSetup.Passive;
            media.AddCandidate(new IceCandidate("1", 1, IceProtocol.Udp, 1, "192.0.2.1", 40000, IceCandidateType.Host));
            media.EndOfCandidates = true;
        }

        description.IceLite = true;
        description.SetBundle(description.Media.Select(m => m.Mid).OfType<string>());
    }

    private static string Mutate(Random random, string text)
    {
        int rounds = random.Next(4) == 0 ? random.Next(2, 5) : 1;
        for (int r = 0; r < rounds && text.Length > 0; r++)
        {
            text = MutateOnce(random, text);
        }

        return text;
    }

    private static string MutateOnce(Random random, string text)
    {
        int at = random.Next(text.Length);
        switch (random.Next(9))
        {
            case 0:
                return text[..at] + Pieces[random.Next(Pieces.Length)] + text[(at + 1)..];
            case 1:
                return text[..at] + Pieces[random.Next(Pieces.Length)] + text[at..];
            case 2:
                return text[..random.Next(text.Length + 1)];
            case 3:
            case 4:
            case 5:
                return MutateLines(random, text);
            case 6:
                return ReplaceNumber(random, text, at);
            case 7:
                return text.Replace("\r\n", random.Next(2) == 0 ? "\n" : "\r", StringComparison.Ordinal);
            default:
                string other = Seeds[random.Next(Seeds.Length)];
                string[] lines = other.Split("\r\n");
                string line = lines[random.Next(lines.Length)];
                int start = text.IndexOf('\n', at) is int n and >= 0 ? n + 1 : text.Length;
                return text[..start] + line + "\r\n" + text[start..];
        }
    }

    private static string MutateLines(Random random, string text)
    {
        List<string> lines = [.. text.Split("\r\n")];
        int a = random.Next(lines.Count);
        int b = random.Next(lines.Count);
        switch (random.Next(3))
        {
            case 0:
                lines.RemoveAt(a);
                break;
            case 1:
                lines.Insert(b, lines[a]);
                break;
            default:
                (lines[a], lines[b]) = (lines[b], lines[a]);
                break;
        }

        return string.Join("\r\n", lines);
    }

    private static string ReplaceNumber(Random random, string text, int at)
    {
        while (at < text.Length && !char.IsAsciiDigit(text[at]))
        {
            at++;
        }

        int end = at;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        string[] numbers = ["0", "1", "127", "128", "255", "256", "4096", "4351", "65535", "65536", "4294967295", "4294967296", "18446744073709551616", "007"];
        return text[..at] + numbers[random.Next(numbers.Length)] + text[end..];
    }

    /// <summary>The text as the writer gives it back: every line ended by CRLF, where the input had CRLF, LF or none.</summary>
    private static string WithCrlf(string input)
    {
        var text = new StringBuilder(input.Length + 64);
        foreach (string line in input.Split('\n'))
        {
            text.Append(line.EndsWith('\r') ? line[..^1] : line).Append("\r\n");
        }

        // Split leaves an empty last element after a final LF; it is not a line.
        return input.EndsWith('\n') ? text.ToString(0, text.Length - 2) : text.ToString();
    }
}
