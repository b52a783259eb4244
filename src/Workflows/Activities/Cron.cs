using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Fires on a cron schedule (5 fields, or 6 with seconds first).</summary>
[Activity("Elsa.Cron", "Scheduling", "Cron", DisplayNameZh = "周期任务", IsTrigger = true)]
[Input("cronExpression", typeof(string), Required = true)]
public sealed class Cron : Activity
{
    private readonly Input? _expression;

    /// <summary>Reads the expression; a literal one is checked now, as Elsa does on publish.</summary>
    public Cron(ActivityNode node, ActivityBuildContext build) : base(node, build)
    {
        _expression = build.Input(node, "cronExpression");
        if (_expression is { IsLiteral: true } && JsonAccess.AsString(_expression.Expression.Value) is { } text && !CronSchedule.TryParse(text, out _, out var error))
            build.Problem("Error when parsing cron expression: " + error, property: "cronExpression");
    }

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return context.CompleteAsync();
        var text = context.Evaluate(_expression) as string ?? throw new InvalidOperationException("Cron needs an expression.");
        if (!CronSchedule.TryParse(text, out var schedule, out var error)) throw new InvalidOperationException("Error when parsing cron expression: " + error);
        var due = schedule!.Next(context.Workflow.Now) ?? throw new InvalidOperationException($"Cron expression '{text}' never fires.");
        context.CreateBookmark("Elsa.Cron", new JsonObject { ["executeAt"] = due.ToString("O"), ["cronExpression"] = text }, due);
        return ValueTask.CompletedTask;
    }
}
