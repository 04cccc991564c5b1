namespace Parley.Server;

/// <summary>
/// TURN is served on the STUN listeners; the coturn-style names <c>Turn:ListeningPort</c> and
/// <c>Turn:TlsListeningPort</c> (and <c>Turn__ListeningPort</c> in the environment) set those listeners' ports.
/// </summary>
internal static class TurnSettingAliases
{
    public static void Map(ConfigurationManager configuration)
    {
        foreach ((string alias, string target) in new[]
        {
            ("Turn:ListeningPort", "Stun:ListeningPort"),
            ("Turn:TlsListeningPort", "Stun:TlsListeningPort"),
        })
        {
            if (configuration[alias] is { Length: > 0 } value)
            {
                configuration[target] = value;
            }
        }
    }
}
