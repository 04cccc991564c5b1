namespace Parley.Signaling;

/// <summary>Where tokens point: <c>ws(s)://host[:port]</c> of the configured public URL (https → wss), or of the
/// request that asks for the token.</summary>
public static class TokenUrls
{
    public static string BaseFor(HttpRequest request, SignalingOptions options)
    {
        if (options.PublicUrl is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out Uri? uri))
        {
            return $"{(uri.Scheme is "https" or "wss" ? "wss" : "ws")}://{uri.Authority}";
        }

        return $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}";
    }
}
