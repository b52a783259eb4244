using GovFlow.Host.Cases;
using Microsoft.AspNetCore.Diagnostics;

namespace GovFlow.Host.Api;

/// <summary>Turns domain errors into problem details: bad input 400 naming the field, a body over its size limit 413, not found 404, conflict 409.</summary>
public sealed class ApiErrors(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            InputException e => (400, $"Bad '{e.Field}'", e.Message, new Dictionary<string, string[]> { [e.Field] = [e.Message] }),
            BadHttpRequestException { StatusCode: 413 } => (413, "Payload too large", "请求内容过大", null),
            BadHttpRequestException e => (400, "Bad request", e.InnerException?.Message ?? e.Message, new Dictionary<string, string[]> { ["body"] = [e.InnerException?.Message ?? e.Message] }),
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
}
