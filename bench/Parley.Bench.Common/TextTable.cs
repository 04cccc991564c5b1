using System.Text;

namespace Parley.Bench.Common;

/// <summary>A plain-text table: columns left-aligned, two spaces apart, as wide as their widest cell.</summary>
public static class TextTable
{
    /// <summary>Appends <paramref name="rows"/>, the first being the header, one line each.</summary>
    public static void Append(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        int[] widths = new int[rows[0].Length];
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
