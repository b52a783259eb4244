using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>A container with one optional <c>body</c>.</summary>
[ChildPort("body", "Body")]
public abstract class BodyActivity : Activity
{
    /// <summary>Compiles the body.</summary>
    protected BodyActivity(ActivityNode node, ActivityBuildContext build) : base(node, build) =>
        Body = node.Child("body") is { } b ? build.Compile(b, this) : null;

    /// <summary>The body, if any.</summary>
    protected Activity? Body { get; }

    /// <inheritdoc />
    public override IEnumerable<Activity> Children => Body is null ? [] : [Body];

    /// <inheritdoc />
    public override Type? StateType => typeof(LoopState);
}
