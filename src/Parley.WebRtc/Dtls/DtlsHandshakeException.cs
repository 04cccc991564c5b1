namespace Parley.WebRtc.Dtls;

/// <summary>A DTLS-SRTP handshake that did not complete, with the reason in words.</summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    public DtlsHandshakeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
