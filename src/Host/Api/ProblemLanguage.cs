using System.Text.RegularExpressions;

namespace GovFlow.Host.Api;

/// <summary>
/// Every problem GovFlow answers, in the caller's language: Chinese unless the request prefers English
/// (<c>Accept-Language: en</c>). Titles come from the status where the answering code gave none or an English one
/// (the framework's own 401/403/404, model binding, validation), details that are missing or English get the
/// hall's words, and internal ids (GUIDs, 32-hex keys) never reach the user. Elsa Studio's API is left as it is:
/// Studio is an English client that reads its own problem shapes.
/// </summary>
public static partial class ProblemLanguage
{
    private sealed record Words(string ZhTitle, string ZhDetail, string EnTitle, string EnDetail);

    private static readonly Dictionary<int, Words> ByStatus = new()
    {
        [400] = new("提交的内容有误", "提交的内容有误，请检查后重试", "Invalid request", "The request is not valid; check it and try again."),
        [401] = new("请先登录", "登录已失效，请重新登录", "Sign-in required", "Your session has ended; please sign in again."),
        [403] = new("无权办理此操作", "您的岗位或部门无权办理此操作", "Not permitted", "Your post or department may not do this."),
        [404] = new("未找到", "没有找到要访问的内容", "Not found", "What you asked for does not exist."),
        [405] = new("不支持此操作", "不支持以这种方式访问", "Not supported", "This kind of request is not supported here."),
        [409] = new("操作冲突", "该事项已被他人处理或状态已改变，请刷新后重试", "Conflict", "Someone else acted first or the state changed; refresh and try again."),
        [413] = new("请求内容过大", "请求内容过大", "Too large", "The request is too large."),
        [415] = new("不支持的内容类型", "请求内容的格式不受支持", "Unsupported content", "The request's content type is not supported."),
        [422] = new("无法处理", "提交的内容无法处理", "Cannot be processed", "The request cannot be processed."),
        [423] = new("已锁定", "已锁定，请稍后再试", "Locked", "Locked; try again later."),
        [429] = new("请求过于频繁", "请求过于频繁，请稍后再试", "Too many requests", "Too many requests; try again later."),
        [500] = new("系统内部错误", "系统出现内部错误，请稍后重试或联系系统管理员", "Server error", "Something went wrong; try again later or call the administrator."),
        [503] = new("服务暂不可用", "服务暂不可用，请稍后再试", "Unavailable", "The service is unavailable; try again later."),
    };

    // The few details users meet most often, in English; any other Chinese detail stays as it is (the title is English).
    private static readonly Dictionary<string, string> English = new()
    {
        ["用户名或密码错误"] = "Wrong user name or password.",
        ["该账号已停用，请联系系统管理员"] = "This account is disabled; call the administrator.",
        ["您的岗位或部门无权进行此操作"] = "Your post or department may not do this.",
        ["请填写用户名"] = "Enter the user name.",
        ["请填写密码"] = "Enter the password.",
        ["没有这件办件"] = "There is no such case.",
        ["该待办已由他人签收。"] = "Someone else has claimed this task.",
        ["请先修改初始密码"] = "Change your initial password first.",
    };

    /// <summary>Whether the request prefers English to Chinese (its first language by quality is some <c>en</c>).</summary>
    public static bool WantsEnglish(HttpContext http)
    {
        var languages = http.Request.GetTypedHeaders().AcceptLanguage;
        var first = languages.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return first?.Value.Value is { } tag && tag.StartsWith("en", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Words a problem's title and detail in the caller's language (for <c>ProblemDetailsOptions.CustomizeProblemDetails</c>).</summary>
    public static void Apply(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        if (http.Request.Path.StartsWithSegments("/elsa")) return;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        var words = ByStatus.GetValueOrDefault(status) ?? (status >= 500 ? ByStatus[500] : ByStatus[400]);
        if (WantsEnglish(http))
        {
            if (problem.Title is null || HasChinese(problem.Title) || problem.Title.StartsWith("Bad '", StringComparison.Ordinal)) problem.Title = words.EnTitle;
            problem.Detail = problem.Detail is null ? words.EnDetail : English.GetValueOrDefault(problem.Detail) ?? problem.Detail;
        }
        else
        {
            if (problem.Title is null || !HasChinese(problem.Title)) problem.Title = words.ZhTitle;
            // An English detail is the framework's or a library's (model binding, a simulator), never words for a clerk.
            if (problem.Detail is null || !HasChinese(problem.Detail)) problem.Detail = words.ZhDetail;
        }
        problem.Detail = Scrub(problem.Detail);
    }

    /// <summary>Whether the text holds Chinese characters.</summary>
    public static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>The text without internal ids: a GUID or a 32-hex key becomes nothing a user would need to read.</summary>
    public static string Scrub(string text) => InternalId().Replace(text, "").Replace("（）", "").Replace("()", "").Replace("  ", " ");

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b")]
    private static partial Regex InternalId();
}
