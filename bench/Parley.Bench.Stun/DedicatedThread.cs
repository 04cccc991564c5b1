namespace Parley.Bench.Stun;

/// <summary>Runs blocking socket loops on threads of their own, outside the thread pool.</summary>
internal static class DedicatedThread
{
    /// <summary>Starts <paramref name="body"/> on a new background thread; the task ends (or faults) with it.</summary>
    public static Task Start(string name, Action body)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                completion.SetResult();
            }
            catch (Exception e)
            {
                // Handed to the awaiting code: an exception escaping a thread would end the process at once,
                // without killing the servers.
                completion.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return completion.Task;
    }
}
