namespace Parley.Bench.Common;

/// <summary>Summaries of a server's rounds.</summary>
public static class Statistics
{
    /// <summary>The median of the finite values (the mean of the middle two for an even count), or NaN for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(double.IsFinite).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
