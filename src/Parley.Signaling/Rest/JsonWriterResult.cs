using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Signaling.Rest;

/// <summary>A 200 response whose JSON is written field by field, so names, order and explicit nulls are exact.</summary>
internal sealed class JsonWriterResult(Action<Utf8JsonWriter> write) : IResult
{
    /// <summary>Tokens are URLs: '&amp;' is written as is, as OpenVidu does (the HTML-safe default would write \u0026;
    /// this body is application/json, never embedded in a page).</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(httpContext.Response.BodyWriter, Options))
        {
            write(json);
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
