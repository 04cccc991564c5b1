using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>How coturn runs here: a TURN server over UDP on 127.0.0.1 with REST API credentials.</summary>
internal static class CoturnCommand
{
    public const string Executable = "turnserver";

    /// <summary>
    /// coturn with its default thread count (one relay thread per CPU), relaying on 127.0.0.1 within the given
    /// ports, taking ephemeral credentials made with the shared secret (--use-auth-secret), allowing peers on
    /// loopback; no TLS, DTLS or TCP listener, no config file, no CLI; its log on standard output, its pid file and
    /// database in the scratch directory rather than the system's.
    /// </summary>
    public static ServerLaunch Launch(ServerSettings settings, string name) => new(Executable,
        [
            "-n", "--no-cli", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", $"--listening-port={settings.Port}",
            $"--min-port={settings.RelayPorts.Min}", $"--max-port={settings.RelayPorts.Max}",
            "--use-auth-secret", $"--static-auth-secret={settings.Secret}", $"--realm={settings.Realm}",
            "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-tcp",
            "--log-file=stdout", "--simple-log",
            $"--pidfile={Path.Combine(settings.ScratchDirectory, name + ".pid")}",
            $"--db={Path.Combine(settings.ScratchDirectory, name + ".sqlite")}",
        ],
        settings.ScratchDirectory);
}
