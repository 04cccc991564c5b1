namespace Parley.Bench.Common;

/// <summary>The directory holding Parley.slnx, where src/ is built from and bench/results/ written to.</summary>
public static class RepositoryRoot
{
    /// <summary>Searched for upwards from the benchmark's executable, then from the current directory.</summary>
    public static string Find()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new BenchmarkException("cannot find the repository root (the directory holding Parley.slnx)");
    }
}
