using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// How Parley runs here: Parley.Server.dll from its Release output directory (built first unless --no-build), or the
/// --parley-cmd command, with placeholders for what is chosen once the ports are (see <see cref="ServerSettings"/>).
/// </summary>
internal static class ParleyCommand
{
    /// <summary>
    /// The configuration Parley's TURN server is run with: STUN/TURN over UDP only on 127.0.0.1, the HTTP side on a
    /// free port and the WebRTC port left to the kernel (neither is used), TURN with the REST API secret and realm,
    /// peers on loopback allowed, the relay range, and no allocation quotas. Parley's cap on unanswered
    /// challenges per client address (50 a second) is lifted: every client of the benchmark shares 127.0.0.1, which
    /// real clients do not, and coturn has no such cap.
    /// </summary>
    public static readonly IReadOnlyList<string> Arguments =
    [
        "--Stun:ListeningIps:0=127.0.0.1", "--Stun:ListeningPort={port}", "--Stun:TcpEnabled=false",
        "--urls", "http://127.0.0.1:{http}", "--WebRtc:Port=0",
        "--Turn:Enabled=true", "--Turn:StaticAuthSecret={secret}", "--Turn:Realm={realm}",
        "--Turn:AllowedPeerRanges:0=127.0.0.0/8", "--Turn:MinPort={min-port}", "--Turn:MaxPort={max-port}",
        "--Turn:UserQuota=0", "--Turn:TotalQuota=0", "--Turn:UnauthenticatedRequestsPerSecond=0",
    ];

    /// <summary>The launch with placeholders; fails when the build fails or there is none to run.</summary>
    public static async Task<ServerLaunch> PrepareAsync(Options options, string root, string scratch,
        CancellationToken cancellationToken)
    {
        if (options.ParleyCommand is { } command)
        {
            string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                throw new BenchmarkException("--parley-cmd is empty");
            }

            return new ServerLaunch(words[0], words[1..], scratch);
        }

        ParleyServerBuild build = await ParleyServerBuild.PrepareAsync(root, build: !options.Common.NoBuild,
            cancellationToken);
        return build.Launch(Arguments);
    }

    /// <summary>The launch with its placeholders filled in.</summary>
    public static ServerLaunch Expand(ServerLaunch launch, ServerSettings settings) =>
        launch with { Arguments = [.. launch.Arguments.Select(settings.Expand)] };
}
