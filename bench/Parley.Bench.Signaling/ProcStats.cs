using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>What Linux's /proc says about a process and the machine.</summary>
internal static class ProcStats
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 a second on every Linux architecture .NET runs on.</summary>
    private const long TicksPerSecond = 100;

    /// <summary>utime + stime of the whole process (all threads), or null when it is gone.</summary>
    public static TimeSpan? ReadProcessCpu(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // Field 2, the command name, is in parentheses and may hold spaces: count from its end. utime and stime are
        // fields 14 and 15, i.e. the 12th and 13th after it.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long system)
                ? FromTicks(user + system)
                : null;
    }

    /// <summary>VmRSS in bytes, or null when the process is gone.</summary>
    public static long? ReadResidentBytes(int pid) => ReadStatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>VmHWM (the peak resident set) in bytes, or null when the process is gone.</summary>
    public static long? ReadPeakResidentBytes(int pid) => ReadStatusKilobytes(pid, "VmHWM:") * 1024;

    public static int? ReadThreadCount(int pid) => (int?)ReadStatusKilobytes(pid, "Threads:");

    /// <summary>
    /// CPU time of the whole machine from /proc/stat: busy (user, nice, system, irq and softirq), of which softirq
    /// (loopback TCP, mostly: also charged to the process it interrupted), and steal (the hypervisor's other guests).
    /// </summary>
    public static (TimeSpan Busy, TimeSpan SoftIrq, TimeSpan Steal) ReadMachineCpu()
    {
        string line = File.ReadLines("/proc/stat").First();
        long[] ticks = [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture))];
        // user nice system idle iowait irq softirq steal
        return (FromTicks(ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]), FromTicks(ticks[6]), FromTicks(ticks[7]));
    }

    private static TimeSpan FromTicks(long ticks) => TimeSpan.FromSeconds((double)ticks / TicksPerSecond);

    private static long? ReadStatusKilobytes(int pid, string key)
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
