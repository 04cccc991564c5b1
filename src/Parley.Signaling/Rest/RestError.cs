namespace Parley.Signaling.Rest;

/// <summary>An error answer with OpenVidu's Spring-style body: <c>{timestamp, status, error, message, path}</c>.
/// The node client only reads the status code; people read the message.</summary>
internal static class RestError
{
    public static IResult Of(HttpContext context, int status, string message) => Results.Json(new
    {
        timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        status,
        error = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
        message,
        path = context.Request.Path.Value,
    }, statusCode: status);
}
