using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>
/// Elsa's ReadLine: reads one line from the run's standard input (a <see cref="TextReader"/> service; none means end of
/// input, so the result is null rather than a host blocked on its console) into the <c>result</c> output.
/// </summary>
[Activity("Elsa.ReadLine", "Console", "Read Line", DisplayNameZh = "读取一行")]
[Output("result", typeof(string))]
public sealed class ReadLine(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var reader = context.Workflow.Services.GetService(typeof(TextReader)) as TextReader ?? TextReader.Null;
        context.SetOutput("result", reader.ReadLine());
        return context.CompleteAsync();
    }
}
