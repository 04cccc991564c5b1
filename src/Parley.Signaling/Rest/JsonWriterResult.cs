using System.Text.Json;

namespace Parley.Signaling.Rest;

/// <summary>A 200 response whose JSON is written field by field, so names, order and explicit nulls are exact.</summary>
internal sealed class JsonWriterResult(Action<Utf8JsonWriter> write) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(httpContext.Response.BodyWriter))
        {
            write(json);
        }

        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
