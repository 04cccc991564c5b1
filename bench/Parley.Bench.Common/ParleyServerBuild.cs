namespace Parley.Bench.Common;

/// <summary>
/// The Release build of src/Parley.Server that the benchmarks run, as <c>dotnet Parley.Server.dll</c> from its
/// output directory, as deployed, so that its appsettings.json applies.
/// </summary>
public sealed class ParleyServerBuild
{
    private static readonly string Project = Path.Combine("src", "Parley.Server");
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private ParleyServerBuild(string outputDirectory)
    {
        OutputDirectory = outputDirectory;
        AssemblyPath = Path.Combine(outputDirectory, "Parley.Server.dll");
    }

    /// <summary>bin/Release/net10.0 of the project.</summary>
    public string OutputDirectory { get; }

    /// <summary>Parley.Server.dll in <see cref="OutputDirectory"/>.</summary>
    public string AssemblyPath { get; }

    /// <summary>
    /// Builds the project in Release, saying so, unless <paramref name="build"/> is false, and fails when that fails
    /// (with the end of the build's output) or when there is no build to run.
    /// </summary>
    public static async Task<ParleyServerBuild> PrepareAsync(string repositoryRoot, bool build,
        CancellationToken cancellationToken)
    {
        if (build)
        {
            Console.WriteLine($"building {Project} (Release)...");
            (int exitCode, string output) = await ChildCommand.RunAsync("dotnet",
                ["build", Project, "-c", "Release", "-v", "quiet", "--nologo"], repositoryRoot, BuildTimeout,
                cancellationToken);
            if (exitCode != 0)
            {
                throw new BenchmarkException(
                    $"building {Project} failed (exit code {exitCode}):{Environment.NewLine}{ChildCommand.QuoteLastLines(output, 25)}");
            }
        }

        var result = new ParleyServerBuild(Path.Combine(repositoryRoot, Project, "bin", "Release", "net10.0"));
        if (!File.Exists(result.AssemblyPath))
        {
            throw new BenchmarkException($"{result.AssemblyPath} does not exist; build it, or run without --no-build");
        }

        return result;
    }

    /// <summary>How to run it with these command-line arguments (configuration overrides, mostly).</summary>
    public ServerLaunch Launch(IReadOnlyList<string> arguments) =>
        new("dotnet", [AssemblyPath, .. arguments], OutputDirectory);
}
