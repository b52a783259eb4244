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
