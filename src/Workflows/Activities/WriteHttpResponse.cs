using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>Writes the HTTP response of the request that triggered the workflow (kept in the instance's properties for the host).</summary>
[Activity("Elsa.WriteHttpResponse", "HTTP", "HTTP Response", DisplayNameZh = "HTTP 响应")]
[Input("statusCode", typeof(object), DefaultValue = "200", Description = "A status number or name (OK, NotFound...)")]
[Input("content", typeof(object))]
[Input("contentType", typeof(string))]
public sealed class WriteHttpResponse(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _status = build.Input(node, "statusCode");
    private readonly Input? _content = build.Input(node, "content");
    private readonly Input? _contentType = build.Input(node, "contentType");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        var status = context.Evaluate(_status) switch
        {
            null => 200,
            int i => i,
            string s when int.TryParse(s, out var n) => n,
            string s when Enum.TryParse<System.Net.HttpStatusCode>(s, true, out var code) => (int)code,
            var other => Convert.ToInt32(other, System.Globalization.CultureInfo.InvariantCulture)
        };
        context.Workflow.Properties["HttpResponse"] = new Dictionary<string, object?>
        {
            ["statusCode"] = status,
            ["content"] = context.Evaluate(_content),
            ["contentType"] = context.Evaluate(_contentType) as string ?? "text/plain"
        };
        return context.CompleteAsync();
    }
}
