namespace Parley.Turn.Tests;

internal static class Eventually
{
    /// <summary>Polls until the condition holds (the server works on its own threads), failing after 5 s.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>A short wait for something that must not happen, after the server has shown it handled the input.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
}
