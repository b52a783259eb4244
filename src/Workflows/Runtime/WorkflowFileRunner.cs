using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Serialization;

namespace GovFlow.Workflows.Runtime;

/// <summary>What running a definition file produced.</summary>
/// <param name="State">The main instance's final state.</param>
/// <param name="Lines">Lines written by WriteLine (the main instance and its children).</param>
/// <param name="Workflow">The compiled main workflow.</param>
/// <param name="Engine">The engine, for children and journals.</param>
public sealed record WorkflowFileRun(WorkflowState State, IReadOnlyList<string> Lines, Workflow Workflow, WorkflowEngine Engine)
{
    /// <summary>The main instance's journal.</summary>
    public IReadOnlyList<JournalRecord> Journal => Engine.JournalOf(State.Id);
}

/// <summary>
/// Runs a definition file with its companions the way Elsa's tests do: companions are loaded honouring their
/// isPublished flag, the main file is run, and with auto-resume every bookmark is resumed until the end.
/// </summary>
public static class WorkflowFileRunner
{
    /// <summary>
    /// Loads and runs; throws <see cref="WorkflowFormatException"/> when a file is not a definition (or
    /// <see cref="WorkflowCompileException"/> when it uses itself as an activity). Bad inputs fault when they run, as in Elsa.
    /// C# is allowed (<see cref="ExpressionOptions.TrustedFiles"/>): whoever runs local files wrote or chose them.
    /// </summary>
    public static async Task<WorkflowFileRun> RunAsync(string file, IEnumerable<string>? companions = null, IDictionary<string, object?>? input = null,
        bool autoResume = false, FlowchartMode mode = FlowchartMode.CounterBased, ActivityRegistry? registry = null)
    {
        var output = new StringWriter();
        var engine = new WorkflowEngine(registry, new WorkflowEngineOptions { Out = output, FlowchartMode = mode, Expressions = ExpressionOptions.TrustedFiles });
        foreach (var companion in companions ?? []) engine.Definitions.Add(WorkflowJson.ReadFile(companion));
        var main = engine.Definitions.Add(WorkflowJson.ReadFile(file));
        var workflow = engine.Compiler.CompileLenient(main);
        var state = await engine.StartAsync(main, new StartWorkflowRequest { Input = input });
        if (autoResume) state = await engine.RunUntilEndAsync(state.Id);
        return new WorkflowFileRun(state, SplitLines(output.ToString()), workflow, engine);
    }

    /// <summary>Splits captured output into lines the way Elsa's capturing writer does (on \n, trailing \r removed).</summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var parts = text.Split('\n');
        var count = text.EndsWith('\n') ? parts.Length - 1 : parts.Length;
        return parts.Take(count).Select(p => p.TrimEnd('\r')).ToList();
    }
}
