using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Tests;

/// <summary>Counts the database commands EF Core sends while an action runs in this flow (other flows' commands are not counted).</summary>
internal static class EfCommands
{
    private static readonly Counter Commands = new();
    private static IDisposable? _listening;

    /// <summary>
    /// Subscribes once and for good, before the fixture's hosts start: EF Core caches for a while whether anyone
    /// listens, so a listener subscribed just before the action could miss its commands.
    /// </summary>
    public static void Listen()
    {
        lock (Commands) _listening ??= DiagnosticListener.AllListeners.Subscribe(Commands);
    }

    /// <summary>The action's result and how many commands it sent.</summary>
    public static async Task<(T Result, int Commands)> CountAsync<T>(Func<CancellationToken, Task<T>> action)
    {
        var before = Commands.Count;
        Commands.Counting.Value = true;
        try
        {
            var result = await action(CancellationToken.None);
            return (result, Commands.Count - before);
        }
        finally { Commands.Counting.Value = false; }
    }

    private sealed class Counter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public readonly AsyncLocal<bool> Counting = new();
        private int _count;
        private readonly List<IDisposable> _subscriptions = [];
        public int Count => _count;

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuting.Name && Counting.Value) Interlocked.Increment(ref _count);
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
