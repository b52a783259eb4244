using GovFlow.Host.Cases;
using Microsoft.AspNetCore.Diagnostics;

namespace GovFlow.Host.Api;

/// <summary>Turns domain errors into problem details: bad input 400 naming the field, a body over its size limit 413, not found 404, conflict 409.</summary>
public sealed partial class ApiErrors(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            InputException e => (400, $"Bad '{e.Field}'", e.Message, new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            BadHttpRequestException { StatusCode: 413 } => (413, "Payload too large", "请求内容过大", null),
            BadHttpRequestException e => Binding(e),
            PayloadTooLargeException e => (413, "Payload too large", e.Message, new Dictionary<string, string[]> { [e.Limit] = [e.Message] }),
            NotFoundException e => (404, "Not found", e.Message, null),
            ConflictException e => (409, "Conflict", e.Message, null),
            ForbiddenException e => (403, "Forbidden", e.Message, null),
            LockedException e => (423, "Locked", e.Message, null),
            // The step that would issue a notice cannot print it: nothing was stored, and the operator must install the font.
            Documents.DocumentFontException e => (503, "Notices unavailable", e.Message, null),
            _ => (0, "", "", null)
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors != null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // The binder's own messages name CLR types and parameters ('Failed to read parameter "LoginRequest body"...'):
    // the clerk gets what was wrong in words, and the field the binder named stays the error's key for the form.
    private static (int, string, string, Dictionary<string, string[]>?) Binding(BadHttpRequestException e)
    {
        var match = BoundParameter().Match(e.Message);
        var field = match.Success ? match.Groups["name"].Value : "body";
        var words = e.InnerException is System.Text.Json.JsonException || e.Message.Contains("as JSON", StringComparison.Ordinal)
            ? "提交的内容不是有效的 JSON，或某项内容的类型不对"
            : e.Message.StartsWith("Required", StringComparison.Ordinal) || e.Message.Contains("no body was provided", StringComparison.Ordinal)
                ? "缺少必须提交的内容"
                : match.Success && match.Groups["value"].Success ? $"“{match.Groups["value"].Value}”的格式不对" : "提交的内容格式不对";
        return (400, "请求格式不正确", words, new Dictionary<string, string[]> { [field] = [words] });
    }

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:[^\" ]+ )?(?<name>[^\" ]+)\"(?: from \"(?<value>[^\"]*)\")?")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();
}
