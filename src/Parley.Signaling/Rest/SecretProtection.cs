namespace Parley.Signaling.Rest;

/// <summary>Puts the REST API's Basic auth (user <c>OPENVIDUAPP</c>, the secret) in front of the host's other
/// operator endpoints, such as metrics.</summary>
public static class SecretProtection
{
    public static TBuilder RequireOpenViduSecret<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, BasicAuthFilter>();
}
