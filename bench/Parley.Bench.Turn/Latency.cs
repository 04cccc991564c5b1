using System.Globalization;

namespace Parley.Bench.Turn;

/// <summary>How the report writes a latency: "85 us" below a millisecond, "1.25 ms" above, "-" for none.</summary>
internal static class Latency
{
    public static string Format(double microseconds) =>
        !double.IsFinite(microseconds) ? "-"
        : microseconds < 1000 ? microseconds.ToString("0", CultureInfo.InvariantCulture) + " us"
        : (microseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
