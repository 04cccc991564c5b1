namespace Parley.Rtp.Rtcp;

/// <summary>FMT values of payload-specific feedback, PSFB (IANA "FMT Values for PSFB Payload Types").</summary>
public enum PayloadFeedbackFormat : byte
{
    /// <summary>RFC 4585 §6.3.1.</summary>
    PictureLossIndication = 1,

    /// <summary>RFC 4585 §6.3.2.</summary>
    SliceLossIndication = 2,

    /// <summary>RFC 4585 §6.3.3.</summary>
    ReferencePictureSelectionIndication = 3,

    /// <summary>RFC 5104 §4.3.1.</summary>
    FullIntraRequest = 4,

    /// <summary>RFC 4585 §6.4; REMB uses it (draft-alvestrand-rmcat-remb-03 §2.2).</summary>
    ApplicationLayer = 15,
}
