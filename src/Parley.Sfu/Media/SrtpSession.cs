using Parley.Srtp;
using Parley.WebRtc.Dtls;

namespace Parley.Sfu.Media;

/// <summary>
/// The two SRTP contexts of one peer connection, from its DTLS-SRTP keys: the server is the DTLS server, so what
/// the browser sends is protected with the client write key and what the server sends with the server write key
/// (RFC 5764 §4.2). Receiving happens on the port's receive loop only; sending is serialised by the endpoint.
/// </summary>
internal sealed class SrtpSession : IDisposable
{
    private readonly SrtpContext _inbound;
    private readonly SrtpContext _outbound;

    public SrtpSession(SrtpKeyingMaterial keys)
    {
        SrtpProfile profile = keys.Profile switch
        {
            SrtpProtectionProfile.AeadAes128Gcm => SrtpProfile.AeadAes128Gcm,
            _ => SrtpProfile.Aes128CmHmacSha1_80,
        };
        _inbound = new SrtpContext(profile, keys.ClientKey, keys.ClientSalt);
        _outbound = new SrtpContext(profile, keys.ServerKey, keys.ServerSalt);
    }

    public bool TryUnprotectRtp(Span<byte> packet, out int plainLength) => _inbound.TryUnprotectRtp(packet, out plainLength);

    public bool TryUnprotectRtcp(Span<byte> packet, out int plainLength) => _inbound.TryUnprotectRtcp(packet, out plainLength);

    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength) => _outbound.TryProtectRtp(buffer, length, out protectedLength);

    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength) => _outbound.TryProtectRtcp(buffer, length, out protectedLength);

    public void Dispose()
    {
        _inbound.Dispose();
        _outbound.Dispose();
    }
}
