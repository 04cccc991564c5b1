using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Parley.WebRtc.Tests;

/// <summary>
/// OpenSSL's own DTLS 1.2 client (<c>openssl s_client -dtls1_2 -use_srtp</c>), an implementation independent of
/// the BouncyCastle engine Parley uses, with a fresh ECDSA certificate of its own. It prints the negotiated SRTP
/// profile and the exported keying material, which the tests compare with Parley's.
/// </summary>
internal sealed partial class OpenSslDtlsClient : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("parley-dtls-").FullName;

    public OpenSslDtlsClient()
    {
        Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", KeyPath, "-out", CertificatePath, "-subj", "/CN=openssl-client", "-days", "1");
        string fingerprint = Run("openssl", "x509", "-in", CertificatePath, "-noout", "-fingerprint", "-sha256");
        Fingerprint = "sha-256 " + fingerprint[(fingerprint.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
    }

    public string CertificatePath => Path.Combine(_directory, "client.pem");

    public string KeyPath => Path.Combine(_directory, "client.key");

    /// <summary><c>sha-256 AB:CD:…</c> of the client's certificate.</summary>
    public string Fingerprint { get; }

    /// <summary>Connects, completes the handshake (or not) and returns everything OpenSSL printed.</summary>
    public async Task<string> ConnectAsync(int port, string srtpProfiles, int exportLength)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-use_srtp", srtpProfiles,
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", exportLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-cert", CertificatePath, "-key", KeyPath, "-no_ign_eof", "-timeout"])
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        process.StandardInput.Close(); // end of input: s_client closes after the handshake
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        return await stdout + "\n" + await stderr;
    }

    /// <summary>The keying material OpenSSL exported, from its <c>Keying material: HEX</c> line.</summary>
    public static byte[]? ExportedKeyingMaterial(string output) =>
        KeyingMaterialLine().Match(output) is { Success: true } m ? Convert.FromHexString(m.Groups[1].Value) : null;

    public static string? NegotiatedProfile(string output) =>
        SrtpProfileLine().Match(output) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"Keying material:\s*([0-9A-Fa-f]+)")]
    private static partial Regex KeyingMaterialLine();

    [GeneratedRegex(@"SRTP Extension negotiated, profile=(\S+)")]
    private static partial Regex SrtpProfileLine();
}
