using System.Globalization;

namespace Parley.Bench.Sfu;

/// <summary>
/// A configuration folder of Janus's own for the run (<c>janus -F</c>): only the videoroom plugin and the plain HTTP
/// transport on the server address, no session timeout, no loggers or event handlers, and two static event loops
/// (one per core, as Janus's documentation advises for many handles, instead of a thread per handle).
/// </summary>
internal static class JanusConfig
{
    public const string Binary = "/usr/bin/janus";
    public const int HttpPort = 8088;
    private const string Libraries = "/usr/lib/x86_64-linux-gnu/janus";

    /// <summary>Writes the folder; returns the path of janus.jcfg.</summary>
    public static string Write(string directory, string serverAddress, int eventLoops)
    {
        Directory.CreateDirectory(directory);
        string plugins = Path.Combine(Libraries, "plugins"), transports = Path.Combine(Libraries, "transports");
        string disabledPlugins = string.Join(',', LibraryFiles(plugins).Where(f => f != "libjanus_videoroom.so"));
        string disabledTransports = string.Join(',', LibraryFiles(transports).Where(f => f != "libjanus_http.so"));
        string main = Path.Combine(directory, "janus.jcfg");
        File.WriteAllText(main, string.Create(CultureInfo.InvariantCulture, $$"""
            general: {
                configs_folder = "{{directory}}"
                plugins_folder = "{{plugins}}"
                transports_folder = "{{transports}}"
                events_folder = "{{Path.Combine(Libraries, "events")}}"
                loggers_folder = "{{Path.Combine(Libraries, "loggers")}}"
                debug_level = 3
                session_timeout = 0
                event_loops = {{eventLoops}}
            }
            certificates: {
            }
            media: {
                rtp_port_range = "20000-40000"
            }
            nat: {
                nice_debug = false
                ignore_mdns = true
                ice_enforce_list = "{{serverAddress}}"
            }
            plugins: {
                disable = "{{disabledPlugins}}"
            }
            transports: {
                disable = "{{disabledTransports}}"
            }
            events: {
                broadcast = false
            }
            loggers: {
                disable = "libjanus_jsonlog.so"
            }
            """));
        File.WriteAllText(Path.Combine(directory, "janus.transport.http.jcfg"), string.Create(CultureInfo.InvariantCulture, $$"""
            general: {
                json = "compact"
                base_path = "/janus"
                http = true
                port = {{HttpPort}}
                ip = "{{serverAddress}}"
                https = false
            }
            admin: {
                admin_http = false
                admin_https = false
            }
            """));
        File.WriteAllText(Path.Combine(directory, "janus.plugin.videoroom.jcfg"), "general: {\n}\n");
        return main;
    }

    private static IEnumerable<string> LibraryFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.so").Select(Path.GetFileName).OfType<string>()
            : [];
}
