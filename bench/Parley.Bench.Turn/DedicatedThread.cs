namespace Parley.Bench.Turn;

/// <summary>Starts the blocking packet loops on threads of their own, outside the thread pool.</summary>
internal static class DedicatedThread
{
    /// <summary>
    /// Runs <paramref name="body"/> on a new background thread; the task completes when it returns, or faults with
    /// what it threw (an exception escaping a thread would end the process without killing the servers).
    /// </summary>
    public static Task Start(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
