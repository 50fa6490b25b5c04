using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

/// <summary>
/// Log lines as slurmdbd writes them ("[2026-12-01T08:30:41.123] error: ..."), to LogFile or, in the
/// foreground without one, to standard error, so existing log watchers keep working.
/// </summary>
public sealed class SlurmStyleLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();

    public SlurmStyleLoggerProvider(string? logFile)
    {
        _writer = logFile is null
            ? Console.Error
            : new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;

    public ILogger CreateLogger(string categoryName) => new SlurmStyleLogger(this);

    private void Write(LogLevel level, string message, Exception? exception)
    {
        string prefix = level switch
        {
            LogLevel.Critical => "fatal: ",
            LogLevel.Error => "error: ",
            LogLevel.Warning => "warning: ",
            LogLevel.Debug => "debug: ",
            LogLevel.Trace => "debug2: ",
            _ => "",
        };
        string line = $"[{DateTime.Now:yyyy-MM-ddTHH:mm:ss.fff}] {prefix}{message}";
        if (exception is not null)
            line += Environment.NewLine + exception;
        lock (_gate)
            _writer.WriteLine(line);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_writer, Console.Error))
            _writer.Dispose();
    }

    private sealed class SlurmStyleLogger(SlurmStyleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                provider.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
