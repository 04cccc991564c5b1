using Parley.Signaling;

namespace Parley.Server;

/// <summary>
/// The configuration names OpenVidu users know (<c>OPENVIDU_SECRET</c>, <c>OPENVIDU_PUBLICURL</c>,
/// <c>DOMAIN_OR_PUBLIC_IP</c>, <c>HTTPS_PORT</c>, <c>OPENVIDU_WEBHOOK*</c>), mapped onto Parley's own settings, and the rule that the
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

        string webhook = $"{SignalingOptions.SectionName}:";
        if (configuration["OPENVIDU_WEBHOOK"] is { Length: > 0 } enabled)
        {
            mapped[webhook + nameof(SignalingOptions.Webhook)] = enabled;
        }

        if (configuration["OPENVIDU_WEBHOOK_ENDPOINT"] is { Length: > 0 } endpoint)
        {
            mapped[webhook + nameof(SignalingOptions.WebhookEndpoint)] = endpoint;
        }

        MapJsonArray(configuration["OPENVIDU_WEBHOOK_HEADERS"], webhook + nameof(SignalingOptions.WebhookHeaders), mapped);
        MapJsonArray(configuration["OPENVIDU_WEBHOOK_EVENTS"], webhook + nameof(SignalingOptions.WebhookEvents), mapped);

        if (mapped.Count > 0)
        {
            configuration.AddInMemoryCollection(mapped);
        }
    }

    /// <summary>OpenVidu writes lists as JSON arrays (<c>["Authorization: Basic …"]</c>); configuration binds
    /// lists from indexed keys.</summary>
    private static void MapJsonArray(string? json, string key, Dictionary<string, string?> mapped)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return;
        }

        string[] items;
        try
        {
            items = System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidOperationException($"{key} must be a JSON array of strings: {e.Message}", e);
        }

        for (int i = 0; i < items.Length; i++)
        {
            mapped[$"{key}:{i}"] = items[i];
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
