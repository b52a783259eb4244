using GovFlow.Host.Api.Contracts;
using GovFlow.Host.Cases;
using GovFlow.Host.Persistence;
using GovFlow.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace GovFlow.Host.Api;

/// <summary>Cookie sign-in, sign-out, the signed-in user, and the demo users.</summary>
public static class AuthEndpoints
{
    /// <summary>Maps /api/auth and, in demo mode, /api/demo/users.</summary>
    public static void MapAuth(this IEndpointRouteBuilder app, bool demo)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", Login).AllowAnonymous();
        // Cast: a handler taking only the HttpContext would otherwise bind as a RequestDelegate and drop its typed result.
        auth.MapPost("/logout", (Delegate)Logout).AllowAnonymous();
        auth.MapGet("/me", Me).RequireAuthorization();
        auth.MapPost("/password", ChangePassword).RequireAuthorization();
        if (demo) app.MapGet("/api/demo/users", Demo).AllowAnonymous().WithTags("Auth");
        // Staff read who handled a step by name, not by sign-in name; applicants' names are personal data and stay out.
        app.MapGet("/api/people/names", Names).RequireAuthorization(p => p.RequireRole(Roles.Window, Roles.Reviewer, Roles.Auditor, Roles.Policy, Roles.Admin)).WithTags("Auth");
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> Login(LoginRequest body, GovFlowDb db, HttpContext http, SignInGuard guard, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(body.UserName)) throw new InputException("userName", "请填写用户名");
        if (string.IsNullOrEmpty(body.Password)) throw new InputException("password", "请填写密码");
        var name = body.UserName.Trim();
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (await guard.CheckAsync(db, name, address, http.RequestAborted) is { } refused) return Refuse(http, refused, clock);
        var user = name.Length <= 64 ? await db.Users.FindAsync(name) : null;
        if (!SignInGuard.Verify(user, body.Password))
            return await guard.FailedAsync(db, name, address, http.RequestAborted) is { } locked
                ? Refuse(http, locked, clock)
                : TypedResults.Problem("用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized, title: "登录失败");
        await guard.SucceededAsync(db, name, http.RequestAborted);
        if (!user!.Active) return TypedResults.Problem("该账号已停用，请联系系统管理员", statusCode: StatusCodes.Status403Forbidden, title: "账号已停用");
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Caller.Principal(user));
        return TypedResults.Ok(View(user));
    }

    // Changing the password ends every other session of the user.
    private static async Task<Ok<UserView>> ChangePassword(PasswordChange body, HttpContext http, GovFlowDb db, People.Administration admin)
    {
        var name = Caller.From(http.User).UserName;
        await admin.ChangePasswordAsync(name, body.CurrentPassword, body.NewPassword, await SessionStore.CurrentAsync(http), http.RequestAborted);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.UserName == name);
        // This session goes on with the new claims (no longer bound to change the password); the others have ended.
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Caller.Principal(user));
        return TypedResults.Ok(View(user));
    }

    private static ProblemHttpResult Refuse(HttpContext http, SignInRefusal refusal, TimeProvider clock)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((refusal.RetryAfter - clock.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(refusal.Message, statusCode: refusal.Status, title: "登录受限",
            extensions: new Dictionary<string, object?> { ["retryAfter"] = refusal.RetryAfter });
    }

    private static async Task<NoContent> Logout(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<UserView>, UnauthorizedHttpResult>> Me(HttpContext http, GovFlowDb db) =>
        await db.Users.FindAsync(Caller.From(http.User).UserName) is { Active: true } u ? TypedResults.Ok(View(u)) : TypedResults.Unauthorized();

    private static Ok<IEnumerable<DemoUserView>> Demo(Activities.Matters.MatterCatalog catalog, Simulators.SimulatedWorld world) =>
        TypedResults.Ok(DemoUsers.All(catalog, world).Select(u => new DemoUserView(u.UserName, DemoUsers.Password, u.Role, u.Department, u.DisplayName)));

    private static async Task<Ok<IReadOnlyList<PersonName>>> Names(GovFlowDb db, HttpContext http) =>
        TypedResults.Ok<IReadOnlyList<PersonName>>(await db.Users.AsNoTracking().Where(u => u.Role != Roles.Applicant)
            .OrderBy(u => u.UserName).Select(u => new PersonName(u.UserName, u.DisplayName)).ToListAsync(http.RequestAborted));

    private static UserView View(UserRecord u) => new(u.UserName, u.Role, u.Department, u.DisplayName, u.IsHead, u.MustChangePassword, u.AllRoles());
}
