using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Waits for a time span: a bookmark due at now + span, which the host's scheduler resumes.</summary>
[Activity("Elsa.Delay", "Scheduling", "Delay", DisplayNameZh = "延时")]
[Input("timeSpan", typeof(TimeSpan), DefaultValue = "00:01:00")]
public sealed class Delay(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _timeSpan = build.Input(node, "timeSpan");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var span = context.Get(_timeSpan, TimeSpan.FromMinutes(1));
        if (span <= TimeSpan.Zero) return context.CompleteAsync();
        var due = context.Workflow.Now + span;
        context.CreateBookmark("Elsa.Delay", new JsonObject { ["resumeAt"] = due.ToString("O") }, due);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Fires every interval; as a workflow's trigger it starts new instances, inside a flow it waits one interval.</summary>
[Activity("Elsa.Timer", "Scheduling", "Timer", DisplayNameZh = "定时器", IsTrigger = true)]
[Input("interval", typeof(TimeSpan), DefaultValue = "00:01:00")]
public sealed class Timer(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _interval = build.Input(node, "interval");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return context.CompleteAsync();
        var interval = context.Get(_interval, TimeSpan.FromMinutes(1));
        var due = context.Workflow.Now + interval;
        context.CreateBookmark("Elsa.Timer", new JsonObject { ["resumeAt"] = due.ToString("O"), ["interval"] = interval.ToString("c") }, due);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Waits until a moment (completes at once when it has passed).</summary>
[Activity("Elsa.StartAt", "Scheduling", "Start At", DisplayNameZh = "定时开始", IsTrigger = true)]
[Input("dateTime", typeof(DateTimeOffset))]
public sealed class StartAt(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _at = build.Input(node, "dateTime");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return context.CompleteAsync();
        var at = context.Get(_at, context.Workflow.Now);
        if (at <= context.Workflow.Now) return context.CompleteAsync();
        context.CreateBookmark("Elsa.StartAt", new JsonObject { ["executeAt"] = at.ToString("O") }, at);
        return ValueTask.CompletedTask;
    }
}

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

/// <summary>Waits for a named event; the event's payload becomes the result.</summary>
[Activity("Elsa.Event", "Primitives", "Event", DisplayNameZh = "等待事件", IsTrigger = true)]
[Input("eventName", typeof(string), Required = true)]
[Output("result", typeof(object))]
public sealed class Event(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "eventName");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id)
        {
            context.SetOutput("result", context.Workflow.GetInput("Event"));
            return context.CompleteAsync();
        }
        context.CreateBookmark("Elsa.Event", new JsonObject { ["eventName"] = context.Evaluate(_name) as string });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        context.SetOutput("result", input);
        return context.CompleteAsync();
    }
}

/// <summary>Asks the host to run an external task and waits for its completion.</summary>
[Activity("Elsa.RunTask", "Composition", "Run Task", DisplayNameZh = "外部任务")]
[Input("taskName", typeof(string), Required = true)]
[Input("payload", typeof(object))]
[Output("taskId", typeof(string))]
[Output("result", typeof(object))]
public sealed class RunTask(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _name = build.Input(node, "taskName");
    private readonly Input? _payload = build.Input(node, "payload");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var taskId = Guid.NewGuid().ToString("N");
        var name = context.Evaluate(_name) as string ?? throw new InvalidOperationException("RunTask needs a task name.");
        context.SetOutput("taskId", taskId);
        context.CreateBookmark("Elsa.RunTask", new JsonObject { ["taskId"] = taskId, ["taskName"] = name, ["payload"] = Values.ToJson(context.Evaluate(_payload)) });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        context.SetOutput("result", input is IDictionary<string, object?> d && d.TryGetValue("RunTaskInput", out var r) ? r : input);
        return context.CompleteAsync();
    }
}
