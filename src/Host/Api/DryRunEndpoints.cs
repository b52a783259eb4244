using System.Text.Json;
using GovFlow.Activities.Calendar;
using GovFlow.Activities.Matters;
using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Designer;
using GovFlow.Host.Security;
using GovFlow.Host.Simulators;
using GovFlow.Workflows.Runtime;
using GovFlow.Workflows.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GovFlow.Host.Api;

/// <summary>The designer's dry run (试运行): a definition, saved or not, run on a sample application without creating a case.</summary>
public static class DryRunEndpoints
{
    // The sample application, decisions and start time besides the definition: a few kilobytes, generously bounded.
    private const int ApplicationBytes = 256 * 1024;

    // Each run is CPU work on the request's thread: two at a time leave the server to its cases.
    private static readonly SemaphoreSlim Running = new(2, 2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps <c>POST /api/definitions/dry-run</c> for policy staff.</summary>
    public static void MapDryRun(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/definitions/dry-run", DryRun).WithTags("Definitions")
            .RequireAuthorization(p => p.RequireRole(Roles.Policy))
            .Accepts<DryRunRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

    // The body is read raw, like an import: the definition goes through the same reader with the same limits, and
    // only up to the size limit, so an oversized or deeply nested body costs no more than that.
    private static async Task<Results<Ok<DryRunResult>, ProblemHttpResult>> DryRun(HttpRequest request, ActivityRegistry registry, MatterValidator validator,
        WorkingCalendar calendar, StepLimits stepLimits, SimulatedWorld world, IConfiguration configuration, TimeProvider clock, DefinitionLimits limits)
    {
        var max = (long)limits.MaxBytes + ApplicationBytes;
        var (definitionJson, options) = Split(await DefinitionEndpoints.ReadBodyAsync(request, max, () => TooLarge(max)));
        var definition = DefinitionEndpoints.ReadDefinition(definitionJson.Span, "dry-run.json", limits, "definition");
        var problems = validator.Validate(definition, "dry-run.json");
        if (problems.Count > 0)
        {
            // The errors by JSON path as import gives them, and the list in order for the designer to show at its fields.
            var problem = new HttpValidationProblemDetails(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
            {
                Status = StatusCodes.Status422UnprocessableEntity, Title = $"流程定义有 {problems.Count} 处问题，不能试运行", Detail = string.Join("；", problems.Select(p => p.Message))
            };
            problem.Extensions["problems"] = problems.Select(p => new { path = p.Path, message = p.Message }).ToList();
            return TypedResults.Problem(problem);
        }

        if (!await Running.WaitAsync(TimeSpan.FromSeconds(5), request.HttpContext.RequestAborted))
            throw new ConflictException("试运行繁忙，请稍后再试");
        try
        {
            var runner = new DryRunner(registry, calendar, HostSetup.ExpressionSettings(configuration), stepLimits, world);
            return TypedResults.Ok(await runner.RunAsync(definition, options, clock.GetUtcNow(), request.HttpContext.RequestAborted));
        }
        finally { Running.Release(); }
    }

    // The definition stays raw bytes for the Elsa reader; the rest binds to the request's other fields.
    private static (ReadOnlyMemory<byte> Definition, DryRunRequest Options) Split(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 1024 });
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InputException("body", "请求内容须是一个 JSON 对象：{ definition, application, startAt, decisions }");
            if (!document.RootElement.TryGetProperty("definition", out var definition) || definition.ValueKind != JsonValueKind.Object)
                throw new InputException("definition", "请提供要试运行的流程定义（definition）");
            using var rest = new MemoryStream();
            using (var writer = new Utf8JsonWriter(rest))
            {
                writer.WriteStartObject();
                foreach (var p in document.RootElement.EnumerateObject().Where(p => p.Name != "definition")) p.WriteTo(writer);
                writer.WriteEndObject();
            }
            var options = JsonSerializer.Deserialize<DryRunRequest>(rest.ToArray(), Json)!;
            return (System.Text.Encoding.UTF8.GetBytes(definition.GetRawText()), options);
        }
        catch (JsonException ex)
        {
            throw new InputException(ex.Path is { Length: > 0 } path ? path.TrimStart('$', '.') : "body", $"请求内容不是有效的 JSON 或字段类型不符：{ex.Message}");
        }
    }

    private static PayloadTooLargeException TooLarge(long max) =>
        new("GovFlow:Definitions:MaxBytes", $"试运行的请求超过 {max / 1024.0 / 1024.0:0.##} MB 上限（{max} 字节）");
}
