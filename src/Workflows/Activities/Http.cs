using System.Text.Json.Nodes;
using GovFlow.Workflows.Expressions;
using GovFlow.Workflows.Model;
using GovFlow.Workflows.Runtime;

namespace GovFlow.Workflows.Activities;

/// <summary>An HTTP trigger: a request to /workflows/{path} starts or resumes the workflow.</summary>
[Activity("Elsa.HttpEndpoint", "HTTP", "HTTP Endpoint", DisplayNameZh = "HTTP 端点", IsTrigger = true)]
[Input("path", typeof(string), Required = true)]
[Input("supportedMethods", typeof(List<string>))]
[Output("parsedContent", typeof(object))]
[Output("queryStringData", typeof(object))]
[Output("headers", typeof(object))]
public sealed class HttpEndpoint(ActivityNode node, ActivityBuildContext build) : Activity(node, build)
{
    private readonly Input? _path = build.Input(node, "path");
    private readonly Input? _methods = build.Input(node, "supportedMethods");

    /// <inheritdoc />
    protected internal override ValueTask ExecuteAsync(ActivityExecutionContext context)
    {
        if (context.Workflow.TriggerActivityId == Id) return ResumeAsync(context, null!, context.Workflow.GetInput("HttpRequest"));
        var methods = context.Evaluate(_methods) as List<string> ?? ["GET"];
        context.CreateBookmark("Elsa.HttpEndpoint", new JsonObject
        {
            ["path"] = context.Evaluate(_path) as string,
            ["methods"] = new JsonArray(methods.Select(m => (JsonNode?)m.ToUpperInvariant()).ToArray())
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected internal override ValueTask ResumeAsync(ActivityExecutionContext context, Bookmark bookmark, object? input)
    {
        if (input is Dictionary<string, object?> request)
        {
            context.SetOutput("parsedContent", request.GetValueOrDefault("body"));
            context.SetOutput("queryStringData", request.GetValueOrDefault("query"));
            context.SetOutput("headers", request.GetValueOrDefault("headers"));
        }
        return context.CompleteAsync();
    }
}

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
