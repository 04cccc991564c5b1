namespace Parley.Server;

/// <summary>
/// Error bodies for HTTP status codes without one, in the shape OpenVidu's Spring Boot server answers with:
/// <c>{"timestamp", "status", "error", "message", "path"}</c>, so that clients always get JSON with a 4xx.
/// </summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        if (response.HasStarted || response.ContentLength is > 0 || response.ContentType is not null)
        {
            return;
        }

        await response.WriteAsJsonAsync(new
        {
            timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            status = response.StatusCode,
            error = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(response.StatusCode),
            message = string.Empty,
            path = context.Request.Path.Value,
        }, context.RequestAborted);
    }
}
