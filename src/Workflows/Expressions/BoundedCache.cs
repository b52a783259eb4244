namespace GovFlow.Workflows.Expressions;

/// <summary>
/// A thread-safe least-recently-used cache: compiled scripts are keyed by their text, which comes from
/// imported definitions, so an unbounded cache would let distinct scripts grow memory without end.
/// </summary>
internal sealed class BoundedCache<TValue>(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, TValue Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TValue Value)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Entries held now.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>
    /// The cached value, or a new one from <paramref name="create"/> (run outside the lock: compiling is slow and
    /// two threads compiling the same script at once only waste work).
    /// </summary>
    public TValue GetOrAdd(string key, Func<string, TValue> create)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Value;
            }
        }
        var value = create(key);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var raced)) return raced.Value.Value;
            _entries[key] = _order.AddFirst((key, value));
            while (_entries.Count > capacity && _order.Last is { } last)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
            return value;
        }
    }
}
