using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Parley.Turn.Tests;

/// <summary>Counts warnings and errors (and keeps their text), so tests can assert that bad input never reached an
/// exception handler; with <paramref name="keepAll"/>, keeps every message too, for the failure report of tests that
/// drive a real client.</summary>
internal sealed class CountingLoggerProvider(bool keepAll = false) : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly ConcurrentQueue<string> _all = new();
    private int _warnings;

    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>The warnings and errors logged so far, for assertion messages.</summary>
    public string Report => string.Join(Environment.NewLine, _messages);

    /// <summary>Every message, timed (only with keepAll).</summary>
    public string FullReport => string.Join(Environment.NewLine, _all);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (keepAll)
        {
            _all.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id}: {formatter(state, exception)}");
        }

        if (logLevel >= LogLevel.Warning)
        {
            Interlocked.Increment(ref _warnings);
            _messages.Enqueue($"{logLevel} {eventId.Id}: {formatter(state, exception)} {exception}");
        }
    }

    public void Dispose()
    {
    }
}
