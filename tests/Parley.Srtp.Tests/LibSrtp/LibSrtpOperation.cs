namespace Parley.Srtp.Tests.LibSrtp;

/// <summary>What <c>libsrtp_peer.py</c> does with a packet: srtp_protect, srtp_unprotect and their RTCP forms.</summary>
internal enum LibSrtpOperation
{
    Protect,
    Unprotect,
    ProtectRtcp,
    UnprotectRtcp,
}
