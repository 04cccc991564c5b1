using System.Globalization;
using Parley.Bench.Common;
using Parley.Bench.Sfu;

if (args is ["raw-relay", string ip, string port])
{
    return RawRelayServer.Run(ip, int.Parse(port, CultureInfo.InvariantCulture));
}

return await BenchmarkHost.RunAsync<Options>(args, "parley-bench-sfu-", SfuBenchmark.RunAsync);
