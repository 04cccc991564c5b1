using Parley.Signaling;

namespace Parley.Server;

/// <summary>
/// The configuration names OpenVidu users know (<c>OPENVIDU_SECRET</c>, <c>OPENVIDU_PUBLICURL</c>,
/// <c>DOMAIN_OR_PUBLIC_IP</c>, <c>HTTPS_PORT</c>), mapped onto Parley's own settings, and the rule that the
/// development secret never leaves loopback.
/// </summary>
internal static class OpenViduEnvironment
{
    public static void MapOpenViduNames(ConfigurationManager configuration)
    {
        var mapped = new Dictionary<string, string?>();
        if (configuration["OPENVIDU_SECRET"] is { Length: > 0 } secret)
        {
            mapped[$"{SignalingOptions.SectionName}:{nameof(SignalingOptions.Secret)}"] = secret;
        }

        if (configuration["OPENVIDU_PUBLICURL"] is { Length: > 0 } publicUrl)
        {
            mapped[$"{SignalingOptions.SectionName}:{nameof(SignalingOptions.PublicUrl)}"] = publicUrl;
        }
        else if (configuration["DOMAIN_OR_PUBLIC_IP"] is { Length: > 0 } domain)
        {
            string port = configuration["HTTPS_PORT"] is { Length: > 0 } p && p != "443" ? ":" + p : "";
            mapped[$"{SignalingOptions.SectionName}:{nameof(SignalingOptions.PublicUrl)}"] = $"https://{domain}{port}";
        }

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }
    }

    /// <summary>
    /// Throws when the REST secret is OpenVidu's well-known development default and an HTTP address is not
    /// loopback: anyone could then create sessions.
    /// </summary>
    public static void RefuseDefaultSecretOffLoopback(IConfiguration configuration)
    {
        string secret = configuration[$"{SignalingOptions.SectionName}:{nameof(SignalingOptions.Secret)}"]
            ?? SignalingOptions.DevelopmentSecret;
        if (secret != SignalingOptions.DevelopmentSecret)
        {
            return;
        }

        foreach (string url in (configuration["Urls"] ?? "http://localhost:4443").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            string host = BindingAddress.Parse(url.Trim()).Host;
            bool loopback = host == "localhost"
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? ip) && System.Net.IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                throw new InvalidOperationException(
                    $"Refusing to listen on {url} with the default secret {SignalingOptions.DevelopmentSecret}: " +
                    "set OPENVIDU_SECRET (or OpenVidu:Secret) to a secret of your own.");
            }
        }
    }
}
