namespace Parley.Sdp;

/// <summary>Value equality for the lists inside attribute records, which records compare by reference.</summary>
internal static class SequenceEquality
{
    public static bool Equal<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) => a.Count == b.Count && a.SequenceEqual(b);

    public static int Hash<T>(IReadOnlyList<T> items)
    {
        var hash = new HashCode();
        foreach (T item in items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
