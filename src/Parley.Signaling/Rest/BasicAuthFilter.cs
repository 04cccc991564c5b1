using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Parley.Signaling.Rest;

/// <summary>HTTP Basic auth with user <c>OPENVIDUAPP</c> and the secret on every REST call, compared in constant
/// time; 401 with <c>WWW-Authenticate</c> otherwise, as OpenVidu's Spring Security answers.</summary>
internal sealed class BasicAuthFilter(IOptions<SignalingOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        if (IsAuthorized(http.Request.Headers.Authorization.ToString(), options.Value.Secret))
        {
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Realm\"";
        return RestError.Of(http, StatusCodes.Status401Unauthorized, "Unauthorized");
    }

    internal static bool IsAuthorized(string header, string secret)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] expected = Encoding.UTF8.GetBytes("OPENVIDUAPP:" + secret);
        Span<byte> presented = stackalloc byte[256];
        if (!Convert.TryFromBase64String(header[prefix.Length..].Trim(), presented, out int length))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented[..length], expected);
    }
}
