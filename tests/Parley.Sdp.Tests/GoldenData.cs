namespace Parley.Sdp.Tests;

/// <summary>The files under Data/ (see Data/README.md): Chromium captures and hand-written offers from the RFCs.</summary>
internal static class GoldenData
{
    public const string PublishOffer = "chrome-publish-offer.sdp";
    public const string SimulcastOffer = "chrome-simulcast-offer.sdp";
    public const string RecvonlyOffer = "chrome-recvonly-offer.sdp";
    public const string DataChannelOffer = "chrome-datachannel-offer.sdp";
    public const string Answer = "chrome-answer.sdp";
    public const string GatheredOffer = "chrome-gathered-offer.sdp";
    public const string TrickledCandidates = "chrome-trickled-candidates.txt";
    public const string TrickledCandidatesNoMdns = "chrome-trickled-candidates-no-mdns.txt";
    public const string FirefoxOffer = "firefox-offer.sdp";
    public const string JsepOfferA1 = "rfc8829-offer-a1.sdp";
    public const string JsepOfferB2 = "rfc8829-offer-b2.sdp";
    public const string SimulcastExample = "rfc8853-simulcast-offer.sdp";
    public const string AnswerToPublish = "parley-answer-to-publish.sdp";
    public const string AnswerToSimulcast = "parley-answer-to-simulcast.sdp";
    public const string AnswerRejectingData = "parley-answer-rejecting-datachannel.sdp";
    public const string SubscribeOffer = "parley-subscribe-offer.sdp";

    public static readonly string[] Chrome = [PublishOffer, SimulcastOffer, RecvonlyOffer, DataChannelOffer, Answer, GatheredOffer];

    public static readonly string[] ByHand = [FirefoxOffer, JsepOfferA1, JsepOfferB2, SimulcastExample];

    /// <summary>What the SFU writes (BuilderTests), approved after Chromium accepted it.</summary>
    public static readonly string[] Written = [AnswerToPublish, AnswerToSimulcast, AnswerRejectingData, SubscribeOffer];

    public static TheoryData<string> AllSdp => [.. Chrome, .. ByHand, .. Written];

    public static TheoryData<string> ChromeSdp => [.. Chrome];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Data");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static SessionDescription Parse(string name)
    {
        Assert.True(SessionDescription.TryParse(Read(name), out SessionDescription? description, out string? error), $"{name}: {error}");
        return description;
    }

    /// <summary>Candidate strings, one a line.</summary>
    public static string[] ReadLines(string name) => File.ReadAllLines(Path.Combine(Directory, name));
}
