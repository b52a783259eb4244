using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.ElsaApi;

/// <summary>Studio's login page: the server version, sign-in with GovFlow's users, and token refresh.</summary>
public static class StudioIdentity
{
    /// <summary>Studio's login request.</summary>
    /// <param name="Username">GovFlow user name.</param>
    /// <param name="Password">Password.</param>
    public sealed record LoginRequest(string? Username, string? Password);

    /// <summary>Studio's login answer. A refusal is <c>isAuthenticated: false</c> (Studio says "invalid credentials");
    /// <paramref name="Message"/> says why in the hall's words for anyone reading the response.</summary>
    /// <param name="IsAuthenticated">Whether the tokens are there.</param>
    /// <param name="AccessToken">Access token.</param>
    /// <param name="RefreshToken">Refresh token.</param>
    /// <param name="Message">Why sign-in was refused, or null.</param>
    public sealed record LoginResponse(bool IsAuthenticated, string? AccessToken, string? RefreshToken, string? Message = null);

    /// <summary>The server version.</summary>
    /// <param name="PackageVersion">Elsa Server version answered.</param>
    public sealed record VersionResponse(string PackageVersion);

    /// <summary>Maps package/version and identity/*.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/package/version", () => TypedResults.Ok(new VersionResponse(StudioApi.PackageVersion))).AllowAnonymous();
        api.MapPost("/identity/login", Login).AllowAnonymous();
        api.MapPost("/identity/refresh-token", Refresh).AllowAnonymous();
    }

    // The same guard as GovFlow's own sign-in, so a name locked there is locked here and failures here count there.
    private static async Task<IResult> Login(LoginRequest body, GovFlowDb db, HttpContext http, SignInGuard guard, StudioTokens tokens)
    {
        if (string.IsNullOrWhiteSpace(body.Username) || string.IsNullOrEmpty(body.Password)) return Refused("请填写用户名和密码");
        var name = body.Username.Trim();
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (await guard.CheckAsync(db, name, address, http.RequestAborted) is { } refused) return Refused(refused.Message);
        var user = name.Length <= 64 ? await db.Users.FindAsync([name], http.RequestAborted) : null;
        if (!SignInGuard.Verify(user, body.Password))
            return Refused((await guard.FailedAsync(db, name, address, http.RequestAborted))?.Message ?? "用户名或密码错误");
        await guard.SucceededAsync(db, name, http.RequestAborted);
        if (Unfit(user!) is { } why) return Refused(why);
        var pair = tokens.Issue(user!);
        return TypedResults.Ok(new LoginResponse(true, pair.AccessToken, pair.RefreshToken));
    }

    // Studio sends the refresh token as the bearer; anything but a valid one for a user still fit is 401 (signed out).
    private static async Task<IResult> Refresh(HttpContext http, GovFlowDb db, StudioTokens tokens)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return TypedResults.Unauthorized();
        var user = await tokens.ValidateRefreshAsync(header["Bearer ".Length..].Trim(), n => db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == n, http.RequestAborted));
        // A user disabled, demoted or put on a one-time password since signing in is signed out of Studio.
        if (user is null || Unfit(user) is not null) return TypedResults.Unauthorized();
        var pair = tokens.Issue(user);
        return TypedResults.Ok(new LoginResponse(true, pair.AccessToken, pair.RefreshToken));
    }

    // Studio shows definitions and cases' paths: policy staff design, auditors look; a one-time password is changed in GovFlow first.
    /// <summary>
    /// Checks every call's access token against the user as they are now: a user disabled, demoted, put on a one-time
    /// password or whose password changed is signed out of Studio at once, not when the token expires.
    /// </summary>
    public static async Task StillFitAsync(Microsoft.AspNetCore.Authentication.JwtBearer.TokenValidatedContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var db = context.HttpContext.RequestServices.GetRequiredService<GovFlowDb>();
        var user = string.IsNullOrEmpty(name) ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == name, context.HttpContext.RequestAborted);
        if (user is null || Unfit(user) is not null || !StudioTokens.MatchesPassword(context.Principal!, user)) context.Fail("该登录已失效，请重新登录");
    }

    private static string? Unfit(UserRecord user) =>
        !user.Active ? "该账号已停用，请联系系统管理员"
        : user.MustChangePassword ? "请先在 GovFlow 中修改初始密码"
        : !user.AllRoles().Any(r => r is Roles.Policy or Roles.Auditor) ? $"{Roles.Names.GetValueOrDefault(user.Role, user.Role)}不能使用流程设计器（仅限政策业务人员和监察审计人员）"
        : null;

    private static IResult Refused(string message) => TypedResults.Ok(new LoginResponse(false, null, null, message));
}
