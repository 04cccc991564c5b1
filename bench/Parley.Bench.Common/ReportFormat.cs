using System.Globalization;

namespace Parley.Bench.Common;

/// <summary>How the reports write their figures: counts, sizes and ratios, "-" for one that is missing.</summary>
public static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A whole number with thousands separators: "1,612,555".</summary>
    public static string Count(double value) => double.IsFinite(value) ? value.ToString("N0", Invariant) : "-";

    /// <summary>Bytes in MiB: "9.5 MiB" below 10 MiB, "120 MiB" above.</summary>
    public static string Size(long? bytes) => bytes is { } b
        ? (b / 1048576.0).ToString(b < 10 * 1048576 ? "0.0" : "0", Invariant) + " MiB"
        : "-";

    /// <summary>A ratio with two decimals: "0.69x".</summary>
    public static string Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 && double.IsFinite(n / d)
            ? (n / d).ToString("0.00", Invariant) + "x"
            : "-";
}
