using System.Security.Cryptography;

namespace Parley.Signaling;

/// <summary>Identifiers in OpenVidu's formats: <c>ses_</c>, <c>con_</c> and <c>tok_</c>, one upper-case letter
/// then random letters and digits, from the cryptographic generator (tokens are bearer secrets).</summary>
internal static class Ids
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewSessionId() => "ses_" + Random(9);

    public static string NewConnectionId() => "con_" + Random(9);

    public static string NewToken() => "tok_" + Random(15);

    /// <summary>The random middle of a streamId: one upper-case letter and three letters or digits.</summary>
    public static string NewStreamSuffix() => Random(3);

    /// <summary>A JSON-RPC session's private id: 128 bits and more of randomness, lower-case like kurento's.</summary>
    public static string NewRpcSessionId() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 26);

    /// <summary>joinRoom's <c>finalUserId</c>, which openvidu-browser only stores.</summary>
    public static string NewFinalUserId() => RandomNumberGenerator.GetString(Upper + "0123456789", 16);

    private static string Random(int tailLength) =>
        string.Concat(RandomNumberGenerator.GetString(Upper, 1), RandomNumberGenerator.GetString(Alphanumeric, tailLength));

    /// <summary>customSessionId: letters, digits, '_' and '-' only, as OpenVidu checks.</summary>
    public static bool IsValidCustomSessionId(string id) =>
        id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
