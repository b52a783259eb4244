using System.Text.Json;
using GovFlow.Host.Cases;

namespace GovFlow.Host.Api;

/// <summary>
/// What the body of a submission or a task completion may be: its size (default 256 KB) and how deeply its JSON
/// nests (default 32, the body itself being level 1). Without them a 20 MB application was stored whole, and data
/// nested 61 levels deep passed the JSON binder only to fail at save time.
/// </summary>
public sealed record FormDataLimits
{
    /// <summary>Largest body in bytes.</summary>
    public int MaxBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest nesting of JSON objects and arrays.</summary>
    public int MaxDepth { get; init; } = 32;
}

/// <summary>Marks an endpoint whose JSON body is form data, checked by <see cref="FormDataGuard"/> before it is bound.</summary>
public sealed class FormDataLimited
{
    /// <summary>The one marker.</summary>
    public static readonly FormDataLimited Instance = new();

    private FormDataLimited() { }
}

/// <summary>
/// Checks the body of every <see cref="FormDataLimited"/> endpoint against <see cref="FormDataLimits"/> before the
/// binder reads it (the binder would build the whole tree first): reads at most one byte over the size limit,
/// measures the depth with a forward-only reader, and hands the endpoint the same bytes. Over a limit is a 400
/// naming it.
/// </summary>
public sealed class FormDataGuard(RequestDelegate next, FormDataLimits limits)
{
    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<FormDataLimited>() is null)
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > limits.MaxBytes) throw TooLarge();
        var body = await ReadAtMostAsync(context.Request.Body, limits.MaxBytes + 1, context.RequestAborted);
        if (body.Length > limits.MaxBytes) throw TooLarge();
        if (DepthOf(body, limits.MaxDepth) > limits.MaxDepth)
            throw new InputException("data", $"表单数据嵌套超过 {limits.MaxDepth} 层上限（GovFlow:Forms:MaxDepth）");
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    private InputException TooLarge() =>
        new("data", $"表单数据超过 {Size(limits.MaxBytes)} 上限（GovFlow:Forms:MaxBytes）");

    private static string Size(int bytes) => bytes % 1024 == 0 ? $"{bytes / 1024} KB" : $"{bytes} 字节";

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < max && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max - buffer.Length)), cancellationToken)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    // Stops at the first level past the limit; malformed JSON is left to the binder, which names the problem.
    private static int DepthOf(byte[] json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1, AllowTrailingCommas = true });
        var deepest = 0;
        try
        {
            while (reader.Read())
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && (deepest = Math.Max(deepest, reader.CurrentDepth + 1)) > maxDepth)
                    return deepest;
        }
        catch (JsonException)
        {
        }
        return deepest;
    }
}
