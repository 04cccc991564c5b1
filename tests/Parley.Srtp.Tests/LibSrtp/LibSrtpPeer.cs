using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Parley.Srtp.Tests.LibSrtp;

/// <summary>
/// libsrtp 2 as an independent peer: runs <c>libsrtp_peer.py</c> (next to the test assembly) with Debian's
/// <c>/usr/bin/python3</c> and <c>python3-pylibsrtp</c>, one process per batch of operations.
/// </summary>
internal static class LibSrtpPeer
{
    public const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the operations in order, protect ones on a libsrtp sender and unprotect ones on a libsrtp receiver,
    /// and returns each result: the packet, or null where libsrtp refused it.
    /// </summary>
    public static IReadOnlyList<byte[]?> Run(SrtpProfile profile, byte[] masterKey, byte[] masterSalt,
        IReadOnlyList<(LibSrtpOperation Operation, byte[] Packet)> operations, bool encryptRtcp = true)
    {
        var request = new JsonObject
        {
            ["profile"] = ProfileName(profile),
            ["key"] = Convert.ToHexStringLower([.. masterKey, .. masterSalt]),
            ["encrypt_rtcp"] = encryptRtcp,
            ["operations"] = new JsonArray([.. operations.Select(o =>
                (JsonNode)new JsonArray(OperationName(o.Operation), Convert.ToHexStringLower(o.Packet)))]),
        };

        string script = Path.Combine(AppContext.BaseDirectory, "LibSrtp", "libsrtp_peer.py");
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { script },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Python} is needed for the libsrtp interop tests", e);
        }

        using (process)
        {
            var output = new System.Text.StringBuilder();
            var errors = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => output.Append(e.Data);
            process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Write(request.ToJsonString());
            process.StandardInput.Close();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill();
                throw new TimeoutException("libsrtp_peer.py did not finish");
            }

            process.WaitForExit(); // drains the redirected streams
            if (process.ExitCode != 0)
            {
                string hint = errors.ToString().Contains("No module named 'pylibsrtp'", StringComparison.Ordinal)
                    ? " (install it with: apt-get install -y python3-pylibsrtp)"
                    : "";
                throw new InvalidOperationException($"libsrtp_peer.py failed{hint}: {errors}");
            }

            JsonArray results = JsonNode.Parse(output.ToString())!["results"]!.AsArray();
            return [.. results.Select(r => r![0]!.GetValue<string>() == "ok"
                ? Convert.FromHexString(r[1]!.GetValue<string>())
                : null)];
        }
    }

    private static string ProfileName(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => "AES128_CM_SHA1_80",
        SrtpProfile.Aes128CmHmacSha1_32 => "AES128_CM_SHA1_32",
        SrtpProfile.AeadAes128Gcm => "AEAD_AES_128_GCM",
        _ => throw new ArgumentOutOfRangeException(nameof(profile)),
    };

    private static string OperationName(LibSrtpOperation operation) => operation switch
    {
        LibSrtpOperation.Protect => "protect",
        LibSrtpOperation.Unprotect => "unprotect",
        LibSrtpOperation.ProtectRtcp => "protect_rtcp",
        LibSrtpOperation.UnprotectRtcp => "unprotect_rtcp",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
