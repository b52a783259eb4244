namespace GovFlow.Workflows.Activities;

/// <summary>A compiled connection.</summary>
internal readonly record struct FlowConnection(int Index, int Source, string Port, int Target);

/// <summary>
/// The connection graph seen from a start activity: which connections go forward and which loop back,
/// inbound lists and ancestors. Computed once per flowchart and start.
/// </summary>
internal sealed class FlowGraph
{
    private readonly List<int>[] _outbound;
    private readonly List<int>[] _inbound;
    private readonly List<int>[] _forwardInbound;
    private readonly bool[] _forward;
    private readonly bool[] _validBackward;
    private readonly bool[] _dangling;
    private readonly HashSet<int>[] _ancestors;

    public FlowGraph(int activityCount, FlowConnection[] connections, int root)
    {
        _outbound = NewLists(activityCount);
        _inbound = NewLists(activityCount);
        _forwardInbound = NewLists(activityCount);
        foreach (var c in connections) { _outbound[c.Source].Add(c.Index); _inbound[c.Target].Add(c.Index); }
        _forward = new bool[connections.Length];

        // Breadth-first from the start; an edge that would close a cycle over accepted edges is a loop-back.
        var accepted = new List<(int S, int T)>();
        var visitedEdges = new HashSet<(int, int)>();
        var visited = new HashSet<int>();
        var queue = new Queue<int>();
        queue.Enqueue(root);
        while (queue.Count > 0)
        {
            var source = queue.Dequeue();
            visited.Add(source);
            foreach (var ci in _outbound[source])
            {
                var target = connections[ci].Target;
                var edge = (source, target);
                if (visitedEdges.Contains(edge) || HasPath(accepted, target, source)) continue;
                visitedEdges.Add(edge);
                accepted.Add(edge);
                if (!visited.Contains(target)) queue.Enqueue(target);
            }
        }
        var acceptedSet = accepted.ToHashSet();
        foreach (var c in connections)
            if (acceptedSet.Contains((c.Source, c.Target))) { _forward[c.Index] = true; _forwardInbound[c.Target].Add(c.Index); }

        _dangling = new bool[activityCount];
        for (var i = 0; i < activityCount; i++) _dangling[i] = i != root && _forwardInbound[i].Count == 0;

        _ancestors = new HashSet<int>[activityCount];
        for (var i = 0; i < activityCount; i++)
        {
            var set = new HashSet<int>();
            var q = new Queue<int>();
            q.Enqueue(i);
            while (q.Count > 0)
                foreach (var ci in _forwardInbound[q.Dequeue()])
                    if (set.Add(connections[ci].Source)) q.Enqueue(connections[ci].Source);
            _ancestors[i] = set;
        }

        _validBackward = new bool[connections.Length];
        foreach (var c in connections)
            if (!_forward[c.Index]) _validBackward[c.Index] = AllPathsToRootPassThrough(connections, root, c.Source, c.Target);
    }

    public IReadOnlyList<int> Outbound(int activity) => _outbound[activity];

    public IReadOnlyList<int> Inbound(int activity) => _inbound[activity];

    public IReadOnlyList<int> ForwardInbound(int activity) => _forwardInbound[activity];

    public bool IsForward(int connection) => _forward[connection];

    public bool IsValidBackward(int connection) => _validBackward[connection];

    public bool IsDangling(int activity) => _dangling[activity];

    public HashSet<int> Ancestors(int activity) => _ancestors[activity];

    private static List<int>[] NewLists(int n)
    {
        var lists = new List<int>[n];
        for (var i = 0; i < n; i++) lists[i] = [];
        return lists;
    }

    private static bool HasPath(List<(int S, int T)> edges, int from, int to)
    {
        if (from == to) return true;
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current == to) return true;
            if (!seen.Add(current)) continue;
            foreach (var (s, t) in edges) if (s == current && !seen.Contains(t)) stack.Push(t);
        }
        return false;
    }

    private bool AllPathsToRootPassThrough(FlowConnection[] connections, int root, int start, int through)
    {
        // Walk forward-inbound edges back towards the start; a path that reaches it without 'through' breaks the loop rule.
        var stack = new Stack<(int Node, bool Seen, HashSet<int> Path)>();
        stack.Push((start, start == through, [start]));
        while (stack.Count > 0)
        {
            var (node, seen, path) = stack.Pop();
            if (node == root) { if (!seen) return false; continue; }
            foreach (var ci in _forwardInbound[node])
            {
                var prev = connections[ci].Source;
                if (path.Contains(prev)) continue;
                stack.Push((prev, seen || prev == through, [.. path, prev]));
            }
        }
        return true;
    }
}
