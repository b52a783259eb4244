using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GovFlow.Host.Api;

/// <summary>Writes <c>/health</c> as JSON: the overall status and each check's status, description and data.</summary>
public static class HealthReportWriter
{
    /// <summary>The response writer.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data
            })
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
