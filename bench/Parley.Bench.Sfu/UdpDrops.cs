using System.Globalization;

namespace Parley.Bench.Sfu;

/// <summary>
/// Datagrams the kernel dropped on UDP sockets (the last column of /proc/net/udp; a full receive buffer, mostly):
/// the load peers' sockets in this namespace, and every socket of the server's namespace through
/// /proc/PID/net/udp (there the server is alone). Says on which side a loss happened.
/// </summary>
internal static class UdpDrops
{
    /// <summary>Drops summed over the sockets of the table at <paramref name="path"/> whose local port passes.</summary>
    public static long Read(string path, Func<int, bool> localPort)
    {
        long drops = 0;
        try
        {
            foreach (string line in File.ReadLines(path).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int colon = fields.Length >= 13 ? fields[1].IndexOf(':', StringComparison.Ordinal) : -1;
                if (colon > 0
                    && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int port)
                    && localPort(port)
                    && long.TryParse(fields[^1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    drops += value;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return drops;
    }
}
