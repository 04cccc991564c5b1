namespace Parley.Rtp.Rtcp;

/// <summary>FMT values of transport layer feedback, RTPFB (IANA "FMT Values for RTPFB Payload Types").</summary>
public enum RtpFeedbackFormat : byte
{
    /// <summary>RFC 4585 §6.2.1.</summary>
    GenericNack = 1,

    /// <summary>RFC 5104 §4.2.1.</summary>
    TemporaryMaximumBitrateRequest = 3,

    /// <summary>RFC 5104 §4.2.2.</summary>
    TemporaryMaximumBitrateNotification = 4,

    /// <summary>draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.</summary>
    TransportWideFeedback = 15,
}
