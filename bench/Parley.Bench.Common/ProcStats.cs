using System.Globalization;

namespace Parley.Bench.Common;

/// <summary>What Linux's /proc says about a process, its threads, the UDP sockets and the whole machine.</summary>
public static class ProcStats
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 a second on every Linux architecture .NET runs on.</summary>
    private const long TicksPerSecond = 100;

    /// <summary>utime + stime of the whole process (all threads), or null when it is gone.</summary>
    public static TimeSpan? ReadProcessCpu(int pid) =>
        TryReadCpu($"/proc/{pid}/stat", out TimeSpan cpu) ? cpu : null;

    /// <summary>VmRSS in bytes, or null when the process is gone.</summary>
    public static long? ReadResidentBytes(int pid) => ReadStatusValue(pid, "VmRSS:") * 1024;

    /// <summary>VmHWM (the peak resident set) in bytes, or null when the process is gone.</summary>
    public static long? ReadPeakResidentBytes(int pid) => ReadStatusValue(pid, "VmHWM:") * 1024;

    public static int? ReadThreadCount(int pid) => (int?)ReadStatusValue(pid, "Threads:");

    /// <summary>
    /// CPU time of the whole machine from the first line of /proc/stat: busy (user, nice, system, irq and softirq),
    /// of which softirq (packet processing, mostly: also charged to the process it interrupted), and steal (time
    /// the hypervisor gave to its other guests).
    /// </summary>
    public static (TimeSpan Busy, TimeSpan SoftIrq, TimeSpan Steal) ReadMachineCpu()
    {
        string line = File.ReadLines("/proc/stat").First();
        long[] ticks = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture))];
        // user nice system idle iowait irq softirq steal
        long busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6];
        return (FromTicks(busy), FromTicks(ticks[6]), FromTicks(ticks[7]));
    }

    /// <summary>
    /// CPU time (user and system) of each thread of a process so far, by thread id; empty when the process is gone.
    /// </summary>
    public static Dictionary<int, TimeSpan> ReadThreadCpu(int pid)
    {
        var result = new Dictionary<int, TimeSpan>();
        try
        {
            foreach (string taskDirectory in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(taskDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out int tid)
                    && TryReadCpu(Path.Combine(taskDirectory, "stat"), out TimeSpan cpu))
                {
                    result[tid] = cpu;
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return result;
    }

    /// <summary>
    /// The CPU use of the busiest threads between two <see cref="ReadThreadCpu"/> readings, in cores, busiest first.
    /// </summary>
    public static double[] BusiestThreads(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after,
        TimeSpan interval, int count) =>
        [.. after
            .Select(t => (t.Value - before.GetValueOrDefault(t.Key)) / interval)
            .OrderDescending()
            .Take(count)];

    /// <summary>
    /// Datagrams the kernel dropped on the UDP sockets bound to <paramref name="port"/> (the last column of
    /// /proc/net/udp), summed over all of them: a server may open one socket per thread with SO_REUSEPORT.
    /// A full receive buffer is the usual reason.
    /// </summary>
    public static long ReadUdpDrops(int port)
    {
        long drops = 0;
        string portHex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string line in File.ReadLines("/proc/net/udp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 13 && fields[1].EndsWith(portHex, StringComparison.OrdinalIgnoreCase)
                && long.TryParse(fields[^1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                drops += value;
            }
        }

        return drops;
    }

    /// <summary>utime and stime, fields 14 and 15 of a process's or a thread's stat file.</summary>
    private static bool TryReadCpu(string statPath, out TimeSpan cpu)
    {
        cpu = default;
        string stat;
        try
        {
            stat = File.ReadAllText(statPath);
        }
        catch (IOException)
        {
            return false; // the process or thread has ended
        }

        // Field 2, the command name, is in parentheses and may hold spaces: count from its end. utime and stime are
        // the 12th and 13th fields after it.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long system))
        {
            return false;
        }

        cpu = FromTicks(user + system);
        return true;
    }

    private static TimeSpan FromTicks(long ticks) => TimeSpan.FromSeconds((double)ticks / TicksPerSecond);

    /// <summary>The number after <paramref name="key"/> in /proc/PID/status (kB for sizes), or null when gone.</summary>
    private static long? ReadStatusValue(int pid, string key)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    string value = line[key.Length..].Trim();
                    int space = value.IndexOf(' ', StringComparison.Ordinal);
                    return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }

        return null;
    }
}
