using Microsoft.Extensions.Logging;

namespace Parley.StunServer.Tests;

/// <summary>Counts warnings and errors, so tests can assert that bad input never reached an exception handler.</summary>
internal sealed class CountingLoggerProvider : ILoggerFactory, ILogger
{
    private int _warnings;

    public int Warnings => Volatile.Read(ref _warnings);

    public ILoggerFactory CreateFactory() => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Warning)
        {
            Interlocked.Increment(ref _warnings);
        }
    }

    public void Dispose()
    {
    }
}
