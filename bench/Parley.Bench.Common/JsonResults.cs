using System.Runtime.InteropServices;
using System.Text.Json;

namespace Parley.Bench.Common;

/// <summary>Writes a run's results as an indented JSON file, with the parts every benchmark's results have.</summary>
public static class JsonResults
{
    /// <summary>
    /// Creates <paramref name="path"/> (and its directory) holding one object: the benchmark's name and when it
    /// started, then the fields <paramref name="writeFields"/> writes.
    /// </summary>
    public static void Write(string path, string benchmark, DateTimeOffset started, Action<Utf8JsonWriter> writeFields)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", benchmark);
        json.WriteString("started", started);
        writeFields(json);
        json.WriteEndObject();
    }

    /// <summary>The "machine" object: processors, OS and runtime, and a note when given.</summary>
    public static void WriteMachine(Utf8JsonWriter json, string? note = null)
    {
        json.WriteStartObject("machine");
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        if (note is not null)
        {
            json.WriteString("note", note);
        }

        json.WriteEndObject();
    }

    /// <summary>An array of objects, one per item, each written by <paramref name="writeItem"/>.</summary>
    public static void WriteArray<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        json.WriteStartArray(name);
        foreach (T item in items)
        {
            json.WriteStartObject();
            writeItem(json, item);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A figure rounded to 4 decimals, or null when there is none or it is not finite.</summary>
    public static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
